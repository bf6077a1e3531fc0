using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;

namespace Megatest.Scheduling;

/// <summary>A run being carried out: its request, its tests and what is known of their committed rows.</summary>
public sealed class RunPlan
{
    private readonly Dictionary<(string Test, string Item), RowState> _rows = [];
    private readonly Dictionary<long, RowState> _byId = [];
    private readonly Dictionary<string, List<RowState>> _itemRows = new(StringComparer.Ordinal);
    private readonly SortedSet<(int Test, int Item)> _dirty = [];
    private readonly SortedSet<(int Test, int Item)> _ready = [];
    private RunHistory? _history;
    private bool _isReady;

    /// <summary>Creates a plan.</summary>
    public RunPlan(RunRequest request, AreaConfig area, IReadOnlyList<PlannedTest> order, TestPattern pattern, IReadOnlyList<string> warnings)
    {
        Request = request;
        Area = area;
        Order = order;
        Pattern = pattern;
        Warnings = warnings;
        Tests = order.ToDictionary(t => t.Name, StringComparer.Ordinal);
        LaunchOrder = [.. order.OrderByDescending(t => t.Priority)];
        for (var i = 0; i < LaunchOrder.Count; i++)
        {
            LaunchOrder[i].LaunchIndex = i;
        }

        foreach (var t in order)
        {
            foreach (var w in t.Waitons.Distinct(StringComparer.Ordinal))
            {
                if (Tests.TryGetValue(w, out var waited))
                {
                    waited.Waiters.Add(t);
                }
            }
        }

        Relaunch = new RelaunchRules.Options(request.Force, request.RerunStatuses.Length > 0 ? request.RerunStatuses.ToHashSet(StringComparer.OrdinalIgnoreCase) : null, false);
    }

    /// <summary>The request that started the run.</summary>
    public RunRequest Request { get; }

    /// <summary>The area read for the run's target.</summary>
    public AreaConfig Area { get; }

    /// <summary>Tests in launch order: prerequisites first, then higher priority, then name.</summary>
    public IReadOnlyList<PlannedTest> Order { get; }

    /// <summary>The order in which ready tests are considered: higher priority first, then <see cref="Order"/> (stable).</summary>
    public IReadOnlyList<PlannedTest> LaunchOrder { get; }

    /// <summary>Tests by name.</summary>
    public IReadOnlyDictionary<string, PlannedTest> Tests { get; }

    /// <summary>The effective test pattern (items are filtered with it).</summary>
    public TestPattern Pattern { get; }

    /// <summary>Warnings found while planning (unknown waitons …).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>When an existing row is run again.</summary>
    public RelaunchRules.Options Relaunch { get; }

    /// <summary>Read-only access to other runs ([skip] rules, waivers).</summary>
    public RunHistory History => _history ??= new RunHistory(Area.DatabasePath);

    /// <summary>Attempts made per test id (for [setup] reruns).</summary>
    public Dictionary<long, int> Attempts { get; } = [];

    /// <summary>runs.id once registered.</summary>
    public long RunId { get; set; }

    /// <summary>Who asked (ROUTER identity), told when the run ends.</summary>
    public byte[]? Requester { get; set; }

    /// <summary>The request's message id, the correlation of RunEnded.</summary>
    public Guid RequestId { get; set; }

    /// <summary>True once the toplevel rows are registered and scheduling may start (every test is then looked at).</summary>
    public bool Ready
    {
        get => _isReady;
        set
        {
            if (value && !_isReady)
            {
                WakeAll();
            }

            _isReady = value;
        }
    }

    /// <summary>True once RunEnded was sent.</summary>
    public bool Ended { get; set; }

    /// <summary>Tests (ids) launched and not yet reported ended by their agent.</summary>
    public HashSet<long> InFlight { get; } = [];

    /// <summary>Requests to the db writer not answered yet.</summary>
    public int OutstandingRequests { get; set; }

    /// <summary>Last stream sequence applied for this run.</summary>
    public long Sequence { get; set; }

    /// <summary>Consecutive idle checks that found nothing to do but waiting rows.</summary>
    public int StallTicks { get; set; }

    /// <summary>How many rows are known.</summary>
    public int RowCount => _byId.Count;

    /// <summary>All known rows.</summary>
    public IEnumerable<RowState> Rows => _byId.Values;

    /// <summary>The row of a test or item, or null.</summary>
    public RowState? Row(string test, string item) => _rows.GetValueOrDefault((test, item));

    /// <summary>The row with id <paramref name="id"/>, or null.</summary>
    public RowState? RowById(long id) => _byId.GetValueOrDefault(id);

    /// <summary>The item rows (item path not empty) of <paramref name="testName"/>.</summary>
    public IReadOnlyList<RowState> ItemRows(string testName) => _itemRows.TryGetValue(testName, out var rows) ? rows : [];

    /// <summary>
    /// Makes the scheduler look at every test and row again in its next pass. The plan wakes what a change can
    /// affect by itself (committed rows, <see cref="RowState.Settled"/>, <see cref="Ready"/>); this is for changes
    /// made behind its back, and the coordinator calls it when a run is idle.
    /// </summary>
    public void WakeAll()
    {
        foreach (var t in LaunchOrder)
        {
            WakeTest(t);
        }
    }

    /// <summary>Applies a committed row; returns the row state.</summary>
    public RowState Apply(TestRowInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!_byId.TryGetValue(info.Id, out var row))
        {
            row = new RowState { Id = info.Id, TestName = info.TestName, ItemPath = info.ItemPath, Plan = this };
            _byId[info.Id] = row;
            _rows[(info.TestName, info.ItemPath)] = row;
            if (info.ItemPath.Length > 0)
            {
                if (!_itemRows.TryGetValue(info.TestName, out var list))
                {
                    _itemRows[info.TestName] = list = [];
                }

                list.Add(row);
                if (Tests.TryGetValue(info.TestName, out var test) && test.SelectedIndex?.TryGetValue(info.ItemPath, out var index) == true)
                {
                    row.ItemIndex = index;
                }
            }
        }

        row.State = info.State;
        row.Status = info.Status;
        row.Comment = info.Comment;
        row.EventTime = info.EventTime;
        row.RunDuration = info.RunDuration;
        Changed(row);
        return row;
    }

    /// <summary>Makes the scheduler look at <paramref name="row"/> again in its next pass (e.g. once it is no longer in flight).</summary>
    public void Wake(RowState row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Tests.TryGetValue(row.TestName, out var test))
        {
            _dirty.Add((test.LaunchIndex, -1));
            _dirty.Add(KeyOf(test, row));
        }
    }

    /// <summary>Fixes the selected items of an itemized test and wakes each of them.</summary>
    internal void Expand(PlannedTest test, IReadOnlyList<Megatest.Core.Item> selected)
    {
        test.SelectedItems = selected;
        test.SelectedIndex = new Dictionary<string, int>(selected.Count, StringComparer.Ordinal);
        test.OpenItems = 0;
        for (var i = 0; i < selected.Count; i++)
        {
            test.SelectedIndex[selected[i].Path] = i;
            var row = Row(test.Name, selected[i].Path);
            if (row is not null)
            {
                row.ItemIndex = i;
            }

            if (row is not { Settled: true })
            {
                test.OpenItems++;
            }

            _dirty.Add((test.LaunchIndex, i));
        }

        test.Expanded = true;
    }

    /// <summary>Called by a row whose <see cref="RowState.Settled"/> changed.</summary>
    internal void SettledChanged(RowState row)
    {
        if (!Tests.TryGetValue(row.TestName, out var test))
        {
            return;
        }

        if (row.ItemIndex >= 0)
        {
            test.OpenItems += row.Settled ? -1 : 1;
        }

        if (!row.Settled)
        {
            test.Finished = false;
            _dirty.Add(KeyOf(test, row));
        }

        _dirty.Add((test.LaunchIndex, -1));
    }

    /// <summary>Takes the rows and tests to look at (test index, item index or -1 for the test or its toplevel), best first.</summary>
    internal bool TakeDirty(out (int Test, int Item) key)
    {
        if (_dirty.Count == 0)
        {
            key = default;
            return false;
        }

        key = _dirty.Min;
        _dirty.Remove(key);
        return true;
    }

    /// <summary>Marks a row to be looked at again in the next pass.</summary>
    internal void MarkDirty((int Test, int Item) key) => _dirty.Add(key);

    /// <summary>Rows whose prerequisites are met, waiting only for capacity or the launch gate, in launch order.</summary>
    internal SortedSet<(int Test, int Item)> ReadyRows => _ready;

    internal static (int Test, int Item) KeyOf(PlannedTest test, RowState row) => (test.LaunchIndex, row.ItemIndex);

    private void Changed(RowState row)
    {
        if (!Tests.TryGetValue(row.TestName, out var test))
        {
            return;
        }

        _dirty.Add((test.LaunchIndex, -1));
        if (row.ItemIndex >= 0)
        {
            _dirty.Add((test.LaunchIndex, row.ItemIndex));
        }

        foreach (var waiter in test.Waiters)
        {
            WakeTest(waiter);
        }
    }

    private void WakeTest(PlannedTest test)
    {
        _dirty.Add((test.LaunchIndex, -1));
        if (test.Expanded)
        {
            for (var i = 0; i < test.SelectedItems.Count; i++)
            {
                _dirty.Add((test.LaunchIndex, i));
            }
        }
    }

    /// <summary>Counts of rows by "STATE/STATUS".</summary>
    public Dictionary<string, string> Counts()
    {
        return Rows.GroupBy(r => r.State + "/" + r.Status)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
