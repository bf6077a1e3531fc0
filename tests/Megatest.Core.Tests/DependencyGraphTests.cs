using Megatest.Core;

namespace Megatest.Core.Tests;

public class DependencyGraphTests
{
    private static DependencyGraph Graph(params (string Test, string[] Prereqs)[] edges) =>
        new(edges.ToDictionary(e => e.Test, e => (IReadOnlyList<string>)e.Prereqs));

    // mintest (SPEC §12.1)
    private static readonly DependencyGraph s_mintest = Graph(
        ("a", ["b"]), ("b", ["c"]), ("c", ["d"]), ("d", ["e"]), ("e", []),
        ("h", ["b"]), ("i", ["b"]), ("g", ["b"]), ("f", []),
        ("d1fail", ["e1"]), ("c1", ["d1fail"]), ("b1", ["c1"]), ("a1", ["b1"]));

    [Fact]
    public void ClosurePullsInWholeChain() =>
        Assert.Equal(["a", "b", "c", "d", "e"], s_mintest.Closure(["a"]));

    [Fact]
    public void ClosureKeepsSelectionOrderAndDeduplicates() =>
        Assert.Equal(["h", "a", "b", "c", "d", "e"], s_mintest.Closure(["h", "a", "h"]));

    [Fact]
    public void ClosureOfIndependentTestIsItself() =>
        Assert.Equal(["f"], s_mintest.Closure(["f"]));

    [Fact]
    public void ClosureIncludesPrerequisitesOutsideTheMap()
    {
        var g = Graph(("x", ["y"]));
        Assert.Equal(["x", "y"], g.Closure(["x"]));
        Assert.Equal(["z"], g.Closure(["z"]));
    }

    [Fact]
    public void ClosureToleratesCycles()
    {
        var g = Graph(("a", ["b"]), ("b", ["a"]));
        Assert.Equal(["a", "b"], g.Closure(["a"]));
    }

    [Fact]
    public void NoCycleInMintest() => Assert.Null(s_mintest.FindCycle(s_mintest.Closure(["a", "a1", "f"])));

    [Fact]
    public void FindsCycle()
    {
        var g = Graph(("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("d", ["a"]));
        Assert.Equal(["a", "b", "c", "a"], g.FindCycle(["d", "c"]));
    }

    [Fact]
    public void FindsSelfCycle() =>
        Assert.Equal(["x", "x"], Graph(("x", ["x"])).FindCycle(["x"]));

    [Fact]
    public void CycleOnlyReachableFromGivenTests()
    {
        var g = Graph(("a", ["b"]), ("b", ["a"]), ("c", []));
        Assert.Null(g.FindCycle(["c"]));
    }

    [Fact]
    public void DescribeCycleMessage() =>
        Assert.Equal("Circular waiton dependency: a -> b -> a", DependencyGraph.DescribeCycle(["a", "b", "a"]));

    [Fact]
    public void TopologicalOrderPrerequisitesFirstTiesByName()
    {
        var order = s_mintest.TopologicalOrder(["a", "b", "c", "d", "e", "f", "h", "i"]);
        Assert.Equal(["e", "d", "c", "b", "a", "f", "h", "i"], order);
    }

    [Fact]
    public void TopologicalOrderOnlyCountsGivenTests()
    {
        var order = s_mintest.TopologicalOrder(["a", "c", "b1"]);
        Assert.Equal(["a", "b1", "c"], order);
    }

    [Fact]
    public void TopologicalOrderDepTests()
    {
        var g = Graph(("genlib", ["setup"]), ("test1", ["genlib"]), ("aggregate", ["test1"]),
            ("test2", ["aggregate"]), ("results", ["test2"]), ("setup", []));
        Assert.Equal(["setup", "genlib", "test1", "aggregate", "test2", "results"],
            g.TopologicalOrder(["results", "test2", "aggregate", "test1", "genlib", "setup"]));
    }

    [Fact]
    public void TopologicalOrderThrowsOnCycle()
    {
        var g = Graph(("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("z", []));
        var ex = Assert.Throws<InvalidOperationException>(() => g.TopologicalOrder(["a", "b", "c", "z"]));
        Assert.Equal("Circular waiton dependency: a -> b -> c -> a", ex.Message);
    }

    [Fact]
    public void TopologicalOrderOfABenchmarkSizedDag_PutsEveryPrerequisiteFirst()
    {
        // The DAG benchmark's shape at 20,000 tests: groups of a root, a 98-way fan-out and a fan-in, each root waiting
        // on the fan-in ten groups back. Ordering is linear in the dependencies (it once compared every pair of tests).
        var waitons = new List<(string, string[])>();
        for (var g = 0; g < 200; g++)
        {
            var root = $"g{g:D3}_a";
            var fan = Enumerable.Range(1, 98).Select(j => $"g{g:D3}_b{j:D2}").ToArray();
            waitons.Add((root, g >= 10 ? [$"g{g - 10:D3}_z"] : []));
            waitons.AddRange(fan.Select(b => (b, new[] { root })));
            waitons.Add(($"g{g:D3}_z", fan));
        }

        var graph = Graph([.. waitons]);
        var order = graph.TopologicalOrder(waitons.Select(w => w.Item1));

        Assert.Equal(20_000, order.Count);
        var position = order.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);
        Assert.All(waitons, w => Assert.All(w.Item2, p => Assert.True(position[p] < position[w.Item1], $"{p} after {w.Item1}")));
        Assert.Equal(["g000_a", "g000_b01", "g000_b02"], order.Take(3));
    }

    [Fact]
    public void PrerequisitesAndDependents()
    {
        Assert.Equal(["b"], s_mintest.Prerequisites("a"));
        Assert.Empty(s_mintest.Prerequisites("unknown"));
        Assert.Equal(["a", "g", "h", "i"], s_mintest.Dependents("b"));
    }
}
