namespace Megatest.LogPro.Tests;

public class RegexTextTests
{
    [Theory]
    [InlineData("warn", false, "warn")]
    [InlineData(@"^\/\/.*error", false, "error")]
    [InlineData(@"Delayed \d+ seconds", false, "Delayed ")]
    [InlineData("colou?r", false, "colo")]
    [InlineData("ab*c", false, "a")]
    [InlineData("abc+d", false, "abc")]
    [InlineData("x{0,3}yz", false, "yz")]
    [InlineData("(a|b)cde", false, "cde")]
    [InlineData("a|b", false, null)]
    [InlineData("(?i)abc", false, null)]
    [InlineData("^$", false, null)]
    [InlineData(@"\x41BC", false, "BC")]
    [InlineData("[abc]def", false, "def")]
    [InlineData("warning", true, "warn")]
    [InlineData("task done", true, " done")]
    public void Required_literal(string pattern, bool ignoreCase, string? expected)
    {
        Assert.Equal(expected, RegexText.RequiredLiteral(pattern, ignoreCase));
    }

    [Fact]
    public void Many_literals_are_reduced_to_shared_prefixes()
    {
        var literals = Enumerable.Range(0, 30).Select(i => $"ERROR E{i:00}").Concat(Enumerable.Range(0, 20).Select(i => $"warning: api_{i}")).ToList();
        var reduced = LogChecker.ReduceLiterals(literals);
        Assert.True(reduced.Length <= 8);
        Assert.All(literals, l => Assert.Contains(reduced, r => l.StartsWith(r, StringComparison.OrdinalIgnoreCase)));
        Assert.All(reduced, r => Assert.True(r.Length >= 4));
        Assert.Equal(["warn", "error"], LogChecker.ReduceLiterals(["warn", "error", "WARN"]));
    }
}
