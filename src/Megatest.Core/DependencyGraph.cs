namespace Megatest.Core;

/// <summary>The waiton graph of an area's tests: closure, cycle detection and ordering.</summary>
public sealed class DependencyGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _waitons;

    /// <summary>Creates the graph.</summary>
    /// <param name="waitons">Test → prerequisites (already filtered to known tests); tests absent from the map
    /// have no prerequisites.</param>
    public DependencyGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> waitons)
    {
        ArgumentNullException.ThrowIfNull(waitons);
        _waitons = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (test, prereqs) in waitons)
        {
            _waitons[test] = prereqs.Distinct(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>The prerequisites of a test (empty when none).</summary>
    public IReadOnlyList<string> Prerequisites(string test) =>
        _waitons.TryGetValue(test, out var p) ? p : [];

    /// <summary>The tests that list <paramref name="test"/> as a prerequisite, sorted by name.</summary>
    public IReadOnlyList<string> Dependents(string test) =>
        _waitons.Where(kv => kv.Value.Contains(test, StringComparer.Ordinal))
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>
    /// The selected tests plus all their transitive prerequisites: the selected tests first (in the given order,
    /// duplicates dropped), then prerequisites breadth-first in the order they are listed. Cycles are tolerated.
    /// </summary>
    public IReadOnlyList<string> Closure(IEnumerable<string> selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var test in selected)
        {
            if (seen.Add(test))
            {
                result.Add(test);
            }
        }

        for (var i = 0; i < result.Count; i++)
        {
            foreach (var prereq in Prerequisites(result[i]))
            {
                if (seen.Add(prereq))
                {
                    result.Add(prereq);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// A dependency cycle reachable from <paramref name="tests"/> (searched from the tests in name order,
    /// following prerequisites in listed order), as <c>[a, b, c, a]</c> meaning a waits on b, b on c, c on a,
    /// rotated to start at its smallest name (ordinal); null when there is none. A test waiting on itself gives
    /// <c>[a, a]</c>.
    /// </summary>
    public IReadOnlyList<string>? FindCycle(IEnumerable<string> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in tests.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var cycle = Visit(start, done, path, onPath);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        return null;
    }

    /// <summary>Message for a cycle: <c>Circular waiton dependency: a -&gt; b -&gt; a</c>.</summary>
    public static string DescribeCycle(IReadOnlyList<string> cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return "Circular waiton dependency: " + string.Join(" -> ", cycle);
    }

    /// <summary>
    /// The given tests ordered so that prerequisites come first (only dependencies among the given tests count);
    /// among ready tests the name (ordinal) decides.
    /// </summary>
    /// <exception cref="InvalidOperationException">The given tests contain a cycle (message from
    /// <see cref="DescribeCycle"/>).</exception>
    public IReadOnlyList<string> TopologicalOrder(IEnumerable<string> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var set = new HashSet<string>(tests, StringComparer.Ordinal);
        // Each test counts its prerequisites among the given tests (waiting on itself counts and is never met); each
        // prerequisite knows who waits on it, so a pass over the order touches every dependency once.
        var remaining = new Dictionary<string, int>(set.Count, StringComparer.Ordinal);
        var waiters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in set)
        {
            var count = 0;
            foreach (var p in Prerequisites(t))
            {
                if (p == t)
                {
                    count++;
                }
                else if (set.Contains(p))
                {
                    count++;
                    (waiters.TryGetValue(p, out var list) ? list : waiters[p] = []).Add(t);
                }
            }

            remaining[t] = count;
        }

        var ready = new SortedSet<string>(remaining.Where(kv => kv.Value == 0).Select(kv => kv.Key), StringComparer.Ordinal);
        var result = new List<string>(set.Count);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            result.Add(next);
            foreach (var t in waiters.GetValueOrDefault(next) ?? [])
            {
                if (--remaining[t] == 0)
                {
                    ready.Add(t);
                }
            }
        }

        if (result.Count != set.Count)
        {
            var placed = result.ToHashSet(StringComparer.Ordinal);
            var cycle = FindCycleWithin(set.Where(t => !placed.Contains(t)), set)
                ?? throw new InvalidOperationException("Circular waiton dependency");
            throw new InvalidOperationException(DescribeCycle(cycle));
        }

        return result;
    }

    private IReadOnlyList<string>? FindCycleWithin(IEnumerable<string> starts, HashSet<string> within)
    {
        var restricted = new DependencyGraph(within.ToDictionary(
            t => t,
            t => (IReadOnlyList<string>)Prerequisites(t).Where(within.Contains).ToArray(),
            StringComparer.Ordinal));
        return restricted.FindCycle(starts);
    }

    private List<string>? Visit(string test, HashSet<string> done, List<string> path, HashSet<string> onPath)
    {
        if (onPath.Contains(test))
        {
            var ring = path.Skip(path.IndexOf(test)).ToList();
            var first = ring.IndexOf(ring.Min(StringComparer.Ordinal)!);
            List<string> cycle = [.. ring.Skip(first), .. ring.Take(first)];
            cycle.Add(cycle[0]);
            return cycle;
        }

        if (done.Contains(test))
        {
            return null;
        }

        path.Add(test);
        onPath.Add(test);
        foreach (var prereq in Prerequisites(test))
        {
            var cycle = Visit(prereq, done, path, onPath);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        onPath.Remove(test);
        done.Add(test);
        return null;
    }
}
