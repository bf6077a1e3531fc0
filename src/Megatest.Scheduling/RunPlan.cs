using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;

namespace Megatest.Scheduling;

/// <summary>A run being carried out: its request, its tests and what is known of their committed rows.</summary>
public sealed class RunPlan
{
    private readonly Dictionary<(string Test, string Item), RowState> _rows = [];
    private readonly Dictionary<long, RowState> _byId = [];
    private RunHistory? _history;

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

    /// <summary>True once the toplevel rows are registered and scheduling may start.</summary>
    public bool Ready { get; set; }

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

    /// <summary>All known rows.</summary>
    public IEnumerable<RowState> Rows => _byId.Values;

    /// <summary>The row of a test or item, or null.</summary>
    public RowState? Row(string test, string item) => _rows.GetValueOrDefault((test, item));

    /// <summary>The row with id <paramref name="id"/>, or null.</summary>
    public RowState? RowById(long id) => _byId.GetValueOrDefault(id);

    /// <summary>Applies a committed row; returns the row state.</summary>
    public RowState Apply(TestRowInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!_byId.TryGetValue(info.Id, out var row))
        {
            row = new RowState { Id = info.Id, TestName = info.TestName, ItemPath = info.ItemPath };
            _byId[info.Id] = row;
            _rows[(info.TestName, info.ItemPath)] = row;
        }

        row.State = info.State;
        row.Status = info.Status;
        row.Comment = info.Comment;
        row.EventTime = info.EventTime;
        row.RunDuration = info.RunDuration;
        return row;
    }

    /// <summary>Counts of rows by "STATE/STATUS".</summary>
    public Dictionary<string, string> Counts()
    {
        return Rows.GroupBy(r => r.State + "/" + r.Status)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
