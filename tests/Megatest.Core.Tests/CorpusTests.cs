using Megatest.Core;
using Megatest.Testing;

namespace Megatest.Core.Tests;

/// <summary>Checks the model against the real example areas (read-only).</summary>
public class CorpusTests
{
    private static List<KeyValuePair<string, string>> SectionLines(string file, string section)
    {
        var result = new List<KeyValuePair<string, string>>();
        var inSection = false;
        foreach (var raw in File.ReadAllLines(file))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith('['))
            {
                inSection = line == $"[{section}]";
                continue;
            }

            if (!inSection || line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            result.Add(new(parts[0], parts.Length > 1 ? parts[1].Trim() : ""));
        }

        return result;
    }

    [Fact]
    public void DepTestsSharedItemsTable()
    {
        var file = Path.Combine(TestPaths.SharedAreas, "dep-tests", "common_itemstable.testconfig");
        var items = ItemExpander.Expand([], SectionLines(file, "itemstable"));
        Assert.Equal(
            ["layout/ntran", "layout/ptran", "layout/diode", "schematic/ntran", "schematic/ptran", "schematic/diode"],
            items!.Select(i => i.Path));
        Assert.Equal([new ItemVar("VIEW", "schematic"), new ItemVar("CELL", "diode")], items![5].Vars);
    }

    [Fact]
    public void DepTestsTest1ItemMapFindsGenlibItems()
    {
        var test1 = Path.Combine(TestPaths.SharedAreas, "dep-tests", "tests", "test1", "testconfig");
        var genlib = Path.Combine(TestPaths.SharedAreas, "dep-tests", "tests", "genlib", "testconfig");
        var rule = SectionLines(test1, "requirements").Single(kv => kv.Key == "itemmap").Value;
        var map = ItemMap.Parse(rule, []);
        var genlibItems = ItemExpander.Expand([], SectionLines(genlib, "itemstable"))!.Select(i => i.Path).ToHashSet();
        Assert.Equal(["layout", "schematic"], genlibItems.Order());
        Assert.Equal("layout", map.Map("genlib", "layout/ntran"));
        Assert.Contains(map.Map("genlib", "schematic/diode"), genlibItems);
    }

    [Fact]
    public void DepTestsCommonModeIsItemWait()
    {
        var file = Path.Combine(TestPaths.SharedAreas, "dep-tests", "common.testconfig");
        var mode = SectionLines(file, "requirements").Single(kv => kv.Key == "mode").Value;
        Assert.Equal(WaitMode.ItemWait, WaitModes.Parse(mode));
    }
}
