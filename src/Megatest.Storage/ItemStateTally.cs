namespace Megatest.Storage;

/// <summary>
/// Counts of the items of itemized tests by (state, status), so recomputing a toplevel (SPEC §6.4) after each item
/// change does not rescan all items (100,000 of them in a big test). Loaded from the database on first use for a test
/// and adjusted by every write of the batch that adds, moves or deletes an item. It outlives the batch: the
/// <see cref="MegatestDatabase"/> keeps it across committed batches and clears it when a batch rolls back, when
/// another connection changed the file, and when runs are imported or moved.
/// </summary>
internal sealed class ItemStateTally
{
    private static readonly Comparer<(string State, string Status)> s_ordinal = Comparer<(string State, string Status)>.Create(
        (a, b) =>
        {
            var byState = string.CompareOrdinal(a.State, b.State);
            return byState != 0 ? byState : string.CompareOrdinal(a.Status, b.Status);
        });

    private readonly Dictionary<(long RunId, string TestName), SortedDictionary<(string State, string Status), long>> _tallies = [];

    /// <summary>The (state, status) pairs present among the test's items, in ordinal order, loading them when needed.</summary>
    public IReadOnlyList<(string State, string Status)> Pairs(
        long runId,
        string testName,
        Func<IEnumerable<(string State, string Status, long Count)>> load)
    {
        if (!_tallies.TryGetValue((runId, testName), out var tally))
        {
            tally = new SortedDictionary<(string State, string Status), long>(s_ordinal);
            foreach (var (state, status, count) in load())
            {
                tally[(state, status)] = tally.GetValueOrDefault((state, status)) + count;
            }

            _tallies[(runId, testName)] = tally;
        }

        return tally.Where(p => p.Value > 0).Select(p => p.Key).ToList();
    }

    /// <summary>Records that one item moved from one pair to another (no-op when the test is not loaded).</summary>
    public void Move(long runId, string testName, (string State, string Status) from, (string State, string Status) to)
    {
        if (_tallies.TryGetValue((runId, testName), out var tally))
        {
            tally[from] = tally.GetValueOrDefault(from) - 1;
            tally[to] = tally.GetValueOrDefault(to) + 1;
        }
    }

    /// <summary>Records a newly inserted item (no-op when the test is not loaded).</summary>
    public void Add(long runId, string testName, (string State, string Status) pair)
    {
        if (_tallies.TryGetValue((runId, testName), out var tally))
        {
            tally[pair] = tally.GetValueOrDefault(pair) + 1;
        }
    }

    /// <summary>Tests whose counts are kept; past <see cref="MaxTests"/> everything is dropped and reloaded on use.</summary>
    public int Count => _tallies.Count;

    /// <summary>Most tests whose counts are kept (a bound on a long-lived db writer's memory).</summary>
    public const int MaxTests = 20_000;

    /// <summary>Drops every count; they are reloaded on next use.</summary>
    public void Clear() => _tallies.Clear();

    /// <summary>Drops the counts of a test; they are reloaded on next use.</summary>
    public void Forget(long runId, string testName) => _tallies.Remove((runId, testName));
}
