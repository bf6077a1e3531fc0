using Megatest.Core;

namespace Megatest.Core.Tests;

public class TestPatternTests
{
    [Theory]
    [InlineData("")]
    [InlineData("layout")]
    [InlineData("layout/ntran")]
    public void BareTestNameSelectsTestAndAllItems(string item)
    {
        var p = TestPattern.Parse("test1");
        Assert.True(p.Matches("test1", item));
        Assert.False(p.Matches("test2", item));
    }

    [Fact]
    public void TrailingSlashSelectsOnlyToplevel()
    {
        var p = TestPattern.Parse("test1/");
        Assert.True(p.Matches("test1", ""));
        Assert.False(p.Matches("test1", "layout"));
        Assert.False(p.Matches("test2", ""));
    }

    [Fact]
    public void SlashPercentSelectsItemsAndToplevel()
    {
        var p = TestPattern.Parse("test1/%");
        Assert.True(p.Matches("test1", ""));
        Assert.True(p.Matches("test1", "layout/ntran"));
        Assert.False(p.Matches("test2", "layout/ntran"));
    }

    [Fact]
    public void PercentSlashSelectsEveryToplevel()
    {
        var p = TestPattern.Parse("%/");
        Assert.True(p.Matches("a", ""));
        Assert.True(p.Matches("zzz", ""));
        Assert.False(p.Matches("a", "x"));
    }

    [Fact]
    public void PercentAloneSelectsEverything()
    {
        Assert.True(TestPattern.All.Matches("anything", ""));
        Assert.True(TestPattern.All.Matches("anything", "a/b"));
        Assert.Equal("%", TestPattern.All.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",,")]
    public void EmptyPatternMatchesNothing(string text)
    {
        var p = TestPattern.Parse(text);
        Assert.True(p.IsEmpty);
        Assert.Empty(p.Parts);
        Assert.False(p.Matches("a", ""));
        Assert.False(p.Matches("a", "x"));
        Assert.False(p.SelectsTest("a"));
    }

    [Fact]
    public void PercentMatchingIsCaseInsensitive()
    {
        var p = TestPattern.Parse("Test%");
        Assert.True(p.Matches("test1", ""));
        Assert.True(p.Matches("TEST2", ""));
        Assert.True(p.Matches("Test", ""));
        Assert.False(p.Matches("mytest", ""));
    }

    [Fact]
    public void StarMatchingIsCaseSensitive()
    {
        var p = TestPattern.Parse("test*");
        Assert.True(p.Matches("test1", ""));
        Assert.True(p.Matches("test", ""));
        Assert.False(p.Matches("TEST1", ""));
        Assert.False(p.Matches("Test1", ""));
    }

    [Fact]
    public void StarIsLiteralWhenPercentPresent()
    {
        var p = TestPattern.Parse("a*%");
        Assert.True(p.Matches("a*b", ""));
        Assert.False(p.Matches("ab", ""));
    }

    [Fact]
    public void PlainNameIsExactAndCaseSensitive()
    {
        var p = TestPattern.Parse("test1");
        Assert.False(p.Matches("Test1", ""));
        Assert.False(p.Matches("test10", ""));
        Assert.False(p.Matches("xtest1", ""));
    }

    [Fact]
    public void OtherRegexCharactersAreLiteral()
    {
        var p = TestPattern.Parse("a.b");
        Assert.True(p.Matches("a.b", ""));
        Assert.False(p.Matches("axb", ""));
        Assert.True(TestPattern.Parse("priority_%").Matches("priority_2", ""));
        Assert.False(TestPattern.Parse("priority_%").Matches("priorityX2", ""));
    }

    [Fact]
    public void ItemPatternMatchesWholeItemPathIncludingSlashes()
    {
        var p = TestPattern.Parse("test1/layout/%");
        Assert.True(p.Matches("test1", "layout/ntran"));
        Assert.False(p.Matches("test1", "schematic/ntran"));
        Assert.False(p.Matches("test1", ""));
        Assert.True(TestPattern.Parse("test1/layout/ntran").Matches("test1", "layout/ntran"));
        Assert.False(TestPattern.Parse("test1/layout").Matches("test1", "layout/ntran"));
    }

    [Fact]
    public void ItemPartCaseRulesFollowItsOwnWildcard()
    {
        Assert.True(TestPattern.Parse("t/LAY%").Matches("t", "layout/x"));
        Assert.False(TestPattern.Parse("t/LAY*").Matches("t", "layout/x"));
        Assert.True(TestPattern.Parse("t/lay*").Matches("t", "layout/x"));
    }

    [Fact]
    public void CommaListIsUnionOfParts()
    {
        var p = TestPattern.Parse(" a , b/x ,c/");
        Assert.Equal(["a", "b/x", "c/"], p.Parts);
        Assert.True(p.Matches("a", "anything"));
        Assert.True(p.Matches("b", "x"));
        Assert.False(p.Matches("b", "y"));
        Assert.True(p.Matches("c", ""));
        Assert.False(p.Matches("c", "i"));
        Assert.False(p.Matches("d", ""));
    }

    [Fact]
    public void NegatedTestPartExcludesTest()
    {
        var p = TestPattern.Parse("%,~test2");
        Assert.True(p.Matches("test1", ""));
        Assert.True(p.Matches("test1", "i"));
        Assert.False(p.Matches("test2", ""));
        Assert.False(p.Matches("test2", "i"));
        Assert.False(p.SelectsTest("test2"));
        Assert.True(p.SelectsTest("test1"));
    }

    [Fact]
    public void ExclusionWinsRegardlessOfOrder()
    {
        var p = TestPattern.Parse("~test2,test%");
        Assert.True(p.Matches("test1", ""));
        Assert.False(p.Matches("test2", ""));
        Assert.False(p.Matches("other", ""));
    }

    [Fact]
    public void OnlyExclusionsMeansEverythingElse()
    {
        var p = TestPattern.Parse("~b%");
        Assert.True(p.Matches("a", ""));
        Assert.True(p.Matches("a", "x"));
        Assert.False(p.Matches("b1", ""));
        Assert.False(p.Matches("B2", "x"));
        Assert.True(p.SelectsTest("a"));
        Assert.False(p.SelectsTest("b1"));
    }

    [Fact]
    public void NegatedTestWithItemExcludesOnlyThoseItems()
    {
        var p = TestPattern.Parse("test1,~test1/layout%");
        Assert.True(p.Matches("test1", ""));
        Assert.True(p.Matches("test1", "schematic/ntran"));
        Assert.False(p.Matches("test1", "layout/ntran"));
        Assert.True(p.SelectsTest("test1"));
    }

    [Fact]
    public void NegatedTestWithToplevelItemExcludesOnlyToplevel()
    {
        var p = TestPattern.Parse("%,~%/");
        Assert.False(p.Matches("a", ""));
        Assert.True(p.Matches("a", "i"));
    }

    [Fact]
    public void NegatedItemPartSelectsOtherItemsOfTheTest()
    {
        var p = TestPattern.Parse("test1/~layout%");
        Assert.True(p.Matches("test1", "schematic/ntran"));
        Assert.True(p.Matches("test1", ""));
        Assert.False(p.Matches("test1", "layout/ntran"));
        Assert.False(p.Matches("test2", "schematic/ntran"));
        Assert.True(p.SelectsTest("test1"));
        Assert.False(p.SelectsTest("test2"));
    }

    [Fact]
    public void NegatedTestAndItemExcludesItemsNotMatching()
    {
        var p = TestPattern.Parse("%,~a/~keep");
        Assert.True(p.Matches("a", "keep"));
        Assert.False(p.Matches("a", "other"));
        Assert.False(p.Matches("a", ""));
        Assert.True(p.Matches("b", "other"));
    }

    [Fact]
    public void SelectsTestIgnoresItemParts()
    {
        var p = TestPattern.Parse("a/,b/x%,%c");
        Assert.True(p.SelectsTest("a"));
        Assert.True(p.SelectsTest("b"));
        Assert.True(p.SelectsTest("abc"));
        Assert.False(p.SelectsTest("d"));
    }

    [Fact]
    public void WildcardItemExclusionRulesTestOut()
    {
        Assert.False(TestPattern.Parse("%,~a/%").SelectsTest("a"));
        Assert.True(TestPattern.Parse("%,~a/x").SelectsTest("a"));
    }

    [Fact]
    public void UnionAppendsParts()
    {
        var p = TestPattern.Parse("a").Union(TestPattern.Parse("b/%,c/"));
        Assert.Equal(["a", "b/%", "c/"], p.Parts);
        Assert.Equal("a,b/%,c/", p.ToString());
        Assert.True(p.Matches("a", "x"));
        Assert.True(p.Matches("b", "x"));
        Assert.True(p.Matches("c", ""));
        Assert.False(p.Matches("c", "x"));
        Assert.True(TestPattern.None.Union(TestPattern.Parse("a")).Matches("a", ""));
    }

    [Fact]
    public void ToStringRoundTrips()
    {
        var p = TestPattern.Parse("a, ~b ,c/~d%");
        var again = TestPattern.Parse(p.ToString());
        Assert.Equal(p.Parts, again.Parts);
        Assert.Equal("a,~b,c/~d%", p.ToString());
    }

    [Fact]
    public void ItemPatternsForListsRequestedItems()
    {
        var p = TestPattern.Parse("D/1/res,D/2/res,E,~D/3,%x/~y");
        Assert.Equal(["1/res", "2/res"], p.ItemPatternsFor("D"));
        Assert.Equal(["%"], p.ItemPatternsFor("E"));
        Assert.Equal(["~y"], p.ItemPatternsFor("ax"));
        Assert.Empty(p.ItemPatternsFor("F"));
    }

    [Fact]
    public void NamePatternReportsKind()
    {
        Assert.True(NamePattern.Parse("%").MatchesEverything);
        Assert.True(NamePattern.Parse("**").MatchesEverything);
        Assert.False(NamePattern.Parse("a%").MatchesEverything);
        Assert.False(NamePattern.Parse("").MatchesEverything);
        Assert.True(NamePattern.Parse("").IsMatch(""));
        Assert.False(NamePattern.Parse("").IsMatch("a"));
        Assert.True(NamePattern.Parse("a%").IsPercent);
        Assert.False(NamePattern.Parse("a*").IsPercent);
    }

    [Theory]
    [InlineData("a%b%a", "aba", true)]
    [InlineData("a%b%a", "ab", false)]
    [InlineData("a%a", "a", false)]
    [InlineData("%ab%ab", "abab", true)]
    [InlineData("%ab%ab", "xabyab", true)]
    [InlineData("%ab%ab", "ababx", false)]
    [InlineData("*.log", "step1.log", true)]
    [InlineData("*.log", "step1.LOG", false)]
    [InlineData("%.LOG", "step1.log", true)]
    [InlineData("a*b*c", "a\nb\nc", true)]
    public void NamePattern_MatchesWholeNames(string pattern, string name, bool expected) =>
        Assert.Equal(expected, NamePattern.Parse(pattern).IsMatch(name));

    [Fact]
    public void NamePattern_AgreesWithTheRegularExpressionOfItsDefinition()
    {
        // SPEC §3.3 read as a regular expression: ^ then, per character, ".*" for the wildcard or the escaped literal, then $;
        // case-insensitive for % patterns. Random patterns and names over a small alphabet hit every overlap case.
        var random = new Random(20261129);
        const string alphabet = "abAB%*.";
        for (var i = 0; i < 20000; i++)
        {
            var pattern = new string([.. Enumerable.Range(0, random.Next(0, 7)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var name = new string([.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => alphabet[random.Next(4)])]);
            var wildcard = pattern.Contains('%') ? '%' : '*';
            var regex = "^" + string.Concat(pattern.Select(c => c == wildcard ? ".*" : System.Text.RegularExpressions.Regex.Escape(c.ToString()))) + "$";
            var options = System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.CultureInvariant
                | (wildcard == '%' ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : 0);
            var expected = System.Text.RegularExpressions.Regex.IsMatch(name, regex, options);
            Assert.True(expected == NamePattern.Parse(pattern).IsMatch(name), $"pattern '{pattern}' name '{name}': expected {expected}");
        }
    }
}
