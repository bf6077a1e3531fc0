using Megatest.Core;

namespace Megatest.Core.Tests;

public class PatternTranslationTests
{
    [Theory]
    [InlineData("test%", true)]
    [InlineData("%", true)]
    [InlineData("test*", false)]
    [InlineData("test1", false)]
    public void PercentPatternsUseLike(string pattern, bool like) =>
        Assert.Equal(like, PatternTranslation.UseLike(pattern));

    [Theory]
    [InlineData("test%", "test%")]
    [InlineData("a*b*", "a%b%")]
    [InlineData("exact", "exact")]
    public void ToSqlLikeConvertsStars(string pattern, string expected) =>
        Assert.Equal(expected, PatternTranslation.ToSqlLike(pattern));

    [Fact]
    public void ToSqlGlobEscapesGlobSpecials() =>
        Assert.Equal("a[?]b[[]c]*", PatternTranslation.ToSqlGlob("a?b[c]*"));

    [Theory]
    [InlineData("te%", "LIKE", "te%")]
    [InlineData("te*", "GLOB", "te*")]
    [InlineData("~te%", "NOT LIKE", "te%")]
    [InlineData("~te?", "NOT GLOB", "te[?]")]
    public void ForSqlPicksOperator(string pattern, string op, string operand)
    {
        var (o, v) = PatternTranslation.ForSql(pattern);
        Assert.Equal(op, o);
        Assert.Equal(operand, v);
    }
}
