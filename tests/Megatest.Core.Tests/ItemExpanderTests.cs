using Megatest.Core;

namespace Megatest.Core.Tests;

public class ItemExpanderTests
{
    private static List<KeyValuePair<string, string>> L(params (string Key, string Value)[] lines) =>
        lines.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)).ToList();

    private static readonly List<KeyValuePair<string, string>> s_none = [];

    private static string[] Paths(IReadOnlyList<Item>? items) => items!.Select(i => i.Path).ToArray();

    [Fact]
    public void NoSectionsMeansNotItemized() => Assert.Null(ItemExpander.Expand(s_none, s_none));

    [Fact]
    public void ItemsCrossProductFirstVariableOutermost()
    {
        var items = ItemExpander.Expand(L(("A", "a b"), ("B", "x  y\tz")), s_none);
        Assert.Equal(["a/x", "a/y", "a/z", "b/x", "b/y", "b/z"], Paths(items));
        Assert.Equal([new ItemVar("A", "b"), new ItemVar("B", "y")], items![4].Vars);
    }

    [Fact]
    public void SingleVariableGivesOneItemPerValue()
    {
        var items = ItemExpander.Expand(L(("LANDTYPE", "desert plains forest jungle beach")), s_none);
        Assert.Equal(["desert", "plains", "forest", "jungle", "beach"], Paths(items));
    }

    [Fact]
    public void ItemsTableIsColumnWise()
    {
        var items = ItemExpander.Expand(s_none, L(("OS", "linux win"), ("ARCH", "x86 arm")));
        Assert.Equal(["linux/x86", "win/arm"], Paths(items));
        Assert.Equal([new ItemVar("OS", "win"), new ItemVar("ARCH", "arm")], items![1].Vars);
    }

    [Fact]
    public void ItemsTableShortRowsAreFilledWithDash()
    {
        var items = ItemExpander.Expand(s_none, L(("A", "1 2 3"), ("B", "x"), ("C", "p q")));
        Assert.Equal(["1/x/p", "2/-/q", "3/-/-"], Paths(items));
    }

    [Fact]
    public void BothSectionsItemsFirstThenTable()
    {
        var items = ItemExpander.Expand(L(("A", "a b")), L(("T", "t1 t2")));
        Assert.Equal(["a", "b", "t1", "t2"], Paths(items));
    }

    [Fact]
    public void VariableWithoutValuesGivesZeroItems()
    {
        var items = ItemExpander.Expand(L(("NADA", "")), s_none);
        Assert.NotNull(items);
        Assert.Empty(items);
    }

    [Fact]
    public void VariableWithoutValuesEmptiesTheWholeCrossProduct()
    {
        var items = ItemExpander.Expand(L(("A", "a b"), ("NADA", " ")), s_none);
        Assert.NotNull(items);
        Assert.Empty(items);
    }

    [Fact]
    public void TableWithoutValuesGivesZeroItems()
    {
        var items = ItemExpander.Expand(s_none, L(("X", "")));
        Assert.NotNull(items);
        Assert.Empty(items);
    }

    [Fact]
    public void DepTestsItemsTable()
    {
        var items = ItemExpander.Expand(s_none, L(
            ("VIEW", "layout layout layout schematic schematic schematic"),
            ("CELL", "ntran  ptran  diode  ntran     ptran     diode")));
        Assert.Equal(
            ["layout/ntran", "layout/ptran", "layout/diode", "schematic/ntran", "schematic/ptran", "schematic/diode"],
            Paths(items));
    }

    [Fact]
    public void DepTestsGenlibItems()
    {
        var items = ItemExpander.Expand(s_none, L(("VIEWTYPE", "layout schematic")));
        Assert.Equal(["layout", "schematic"], Paths(items));
    }

    [Fact]
    public void ItemEqualityIsByValue()
    {
        var a = new Item([new ItemVar("A", "1"), new ItemVar("B", "2")]);
        var b = new Item([new ItemVar("A", "1"), new ItemVar("B", "2")]);
        var c = new Item([new ItemVar("A", "1"), new ItemVar("B", "3")]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal("1/2", a.Path);
        Assert.Equal("1/2", a.ToString());
    }

    [Fact]
    public void PathFollowsVarsAfterWith()
    {
        var a = new Item([new ItemVar("A", "1")]);
        var b = a with { Vars = [new ItemVar("A", "2"), new ItemVar("B", "x")] };
        Assert.Equal("2/x", b.Path);
        Assert.Equal("1", a.Path);
    }
}
