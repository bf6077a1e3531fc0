using Megatest.Core;

namespace Megatest.Core.Tests;

public class ItemMapTests
{
    private static readonly List<KeyValuePair<string, string>> s_none = [];

    private static List<KeyValuePair<string, string>> L(params (string Key, string Value)[] lines) =>
        lines.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)).ToList();

    [Fact]
    public void NoRulesIsIdentity()
    {
        var map = ItemMap.Parse(null, s_none);
        Assert.True(map.IsEmpty);
        Assert.Equal("layout/ntran", map.Map("genlib", "layout/ntran"));
        Assert.True(ItemMap.Parse("  \n ", s_none).IsEmpty);
        Assert.True(ItemMap.Empty.IsEmpty);
    }

    [Fact]
    public void DeleteRuleWithoutReplacement()
    {
        var map = ItemMap.Parse("/.*", s_none);
        Assert.False(map.IsEmpty);
        Assert.Equal("layout", map.Map("genlib", "layout/ntran"));
        Assert.Equal("schematic", map.Map("genlib", "schematic/diode"));
        Assert.Equal("", map.Map("genlib", ""));
    }

    [Fact]
    public void BackReferences()
    {
        var map = ItemMap.Parse(@"(\d+)/res \1/aa", s_none);
        Assert.Equal("1/aa", map.Map("C", "1/res"));
        Assert.Equal("x/42/aa", map.Map("C", "x/42/res"));
        Assert.Equal("nomatch", map.Map("C", "nomatch"));
    }

    [Fact]
    public void EveryMatchIsReplaced()
    {
        var map = ItemMap.Parse("a X", s_none);
        Assert.Equal("XbXcX", map.Map("W", "abaca"));
    }

    [Fact]
    public void MultiLineRulesChainInOrder()
    {
        var map = ItemMap.Parse("res aa\n  aa bb\n\n(b+)/(\\d) \\2-\\1\n", s_none);
        Assert.Equal("1-bb", map.Map("W", "res/1"));
    }

    [Fact]
    public void ReplacementKeepsDollarAndBackslashLiteral()
    {
        var map = ItemMap.Parse(@"x $1\\y", s_none);
        Assert.Equal(@"a$1\yb", map.Map("W", "axb"));
    }

    [Fact]
    public void SectionFormKeyedByWaitedOnTestName()
    {
        var map = ItemMap.Parse(null, L(("genlib", "/.*"), ("C%", @"(\d+)/res \1/aa"), ("%", "^ pre-")));
        Assert.Equal("layout", map.Map("genlib", "layout/ntran"));
        Assert.Equal("1/aa", map.Map("Ctest", "1/res"));
        Assert.Equal("pre-1/res", map.Map("other", "1/res"));
    }

    [Fact]
    public void SectionFormFirstMatchingEntryOnly()
    {
        var map = ItemMap.Parse(null, L(("a*", "x y"), ("ab", "x z")));
        Assert.Equal("y", map.Map("ab", "x"));
    }

    [Fact]
    public void SectionFormWithoutMatchingEntryIsIdentity()
    {
        var map = ItemMap.Parse(null, L(("genlib", "/.*")));
        Assert.Equal("layout/ntran", map.Map("setup", "layout/ntran"));
    }

    [Fact]
    public void LineFormComesFirstAndAlwaysApplies()
    {
        var map = ItemMap.Parse("/.*", L(("genlib", "layout L")));
        Assert.Equal("layout", map.Map("genlib", "layout/ntran"));
    }

    [Fact]
    public void InvalidRegexIsReported()
    {
        var ex = Assert.Throws<ArgumentException>(() => ItemMap.Parse("(abc x", s_none));
        Assert.Contains("(abc", ex.Message);
    }

    [Fact]
    public void MapsItemPatternsWhenPullingWaitons()
    {
        // D/1/res with rule (\d+)/res \1/aa pulls in C/1/aa (SPEC §4.2)
        var requested = TestPattern.Parse("D/1/res").ItemPatternsFor("D");
        var map = ItemMap.Parse(@"(\d+)/res \1/aa", s_none);
        Assert.Equal(["1/aa"], requested.Select(p => map.Map("C", p)));
    }
}
