namespace Megatest.Storage;

/// <summary>
/// The run_stats count of a run: its leaf tests by state and status, that is items, and tests without items (plain
/// tests, and toplevels whose items are not registered yet); an itemized test's toplevel is not counted beside its
/// items. Fed the run's tests in test-name order (the order of tests_rollup_index), so one pass decides for each test
/// name whether it has items. States and statuses are compared as the UTF-8 bytes SQLite stores (its BINARY
/// collation), and only the distinct pairs become strings: a recount of a big run costs a scan of the index rather
/// than a grouped query with a subquery per row (issue #9).
/// </summary>
internal sealed class LeafTally
{
    private readonly List<(byte[] State, byte[] Status)> _pairs = [];
    private readonly List<long> _counts = [];
    private readonly List<(int Pair, bool Item)> _group = [];
    private byte[] _name = new byte[64];
    private int _nameLength = -1;
    private bool _groupHasItem;

    /// <summary>Adds one test row; rows of the same test name must come one after the other.</summary>
    public void Add(ReadOnlySpan<byte> testName, ReadOnlySpan<byte> state, ReadOnlySpan<byte> status, bool isItem)
    {
        if (_nameLength < 0 || !testName.SequenceEqual(_name.AsSpan(0, _nameLength)))
        {
            EndGroup();
            if (testName.Length > _name.Length)
            {
                _name = new byte[testName.Length * 2];
            }

            testName.CopyTo(_name);
            _nameLength = testName.Length;
        }

        _group.Add((PairIndex(state, status), isItem));
        _groupHasItem |= isItem;
    }

    /// <summary>The counts by (state, status), in SQLite's BINARY order of the pair; pairs without leaf tests are left out.</summary>
    public List<(string State, string Status, long Count)> Finish()
    {
        EndGroup();
        var result = new List<(byte[] State, byte[] Status, long Count)>(_pairs.Count);
        for (var i = 0; i < _pairs.Count; i++)
        {
            if (_counts[i] > 0)
            {
                result.Add((_pairs[i].State, _pairs[i].Status, _counts[i]));
            }
        }

        result.Sort(static (a, b) =>
        {
            var byState = a.State.AsSpan().SequenceCompareTo(b.State);
            return byState != 0 ? byState : a.Status.AsSpan().SequenceCompareTo(b.Status);
        });
        return result.ConvertAll(static r => (System.Text.Encoding.UTF8.GetString(r.State), System.Text.Encoding.UTF8.GetString(r.Status), r.Count));
    }

    private void EndGroup()
    {
        foreach (var (pair, item) in _group)
        {
            if (item || !_groupHasItem)
            {
                _counts[pair]++;
            }
        }

        _group.Clear();
        _groupHasItem = false;
    }

    private int PairIndex(ReadOnlySpan<byte> state, ReadOnlySpan<byte> status)
    {
        for (var i = 0; i < _pairs.Count; i++)
        {
            if (state.SequenceEqual(_pairs[i].State) && status.SequenceEqual(_pairs[i].Status))
            {
                return i;
            }
        }

        _pairs.Add((state.ToArray(), status.ToArray()));
        _counts.Add(0);
        return _pairs.Count - 1;
    }
}
