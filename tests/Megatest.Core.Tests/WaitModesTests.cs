using Megatest.Core;

namespace Megatest.Core.Tests;

public class WaitModesTests
{
    [Theory]
    [InlineData(null, WaitMode.Normal)]
    [InlineData("", WaitMode.Normal)]
    [InlineData("normal", WaitMode.Normal)]
    [InlineData("toplevel", WaitMode.Toplevel)]
    [InlineData("itemwait", WaitMode.ItemWait)]
    [InlineData("itemmatch", WaitMode.ItemWait)]
    [InlineData("exclusive", WaitMode.Exclusive)]
    [InlineData("  itemwait   exclusive ", WaitMode.ItemWait | WaitMode.Exclusive)]
    [InlineData("normal toplevel", WaitMode.Toplevel)]
    [InlineData("ItemWait", WaitMode.ItemWait)]
    public void ParsesWords(string? words, WaitMode expected) => Assert.Equal(expected, WaitModes.Parse(words));

    [Fact]
    public void UnknownWordIsNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => WaitModes.Parse("itemwait bogus"));
        Assert.Contains("'bogus'", ex.Message);
    }
}
