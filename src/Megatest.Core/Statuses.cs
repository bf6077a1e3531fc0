namespace Megatest.Core;

/// <summary>Test status names of SPEC §6.1, their weights (higher = worse) and groupings.</summary>
public static class Statuses
{
    /// <summary>No status yet.</summary>
    public const string NA = "n/a";

    /// <summary>Passed.</summary>
    public const string Pass = "PASS";

    /// <summary>Passed with warnings.</summary>
    public const string Warn = "WARN";

    /// <summary>Failed.</summary>
    public const string Fail = "FAIL";

    /// <summary>Needs checking.</summary>
    public const string Check = "CHECK";

    /// <summary>Failure waived.</summary>
    public const string Waived = "WAIVED";

    /// <summary>Aborted.</summary>
    public const string Abort = "ABORT";

    /// <summary>Skipped.</summary>
    public const string Skip = "SKIP";

    /// <summary>A prerequisite failed.</summary>
    public const string PreqFail = "PREQ_FAIL";

    /// <summary>A prerequisite was itself not started for a bad reason.</summary>
    public const string PreqDiscarded = "PREQ_DISCARDED";

    /// <summary>The test expanded to zero items.</summary>
    public const string ZeroItems = "ZERO_ITEMS";

    /// <summary>Killed.</summary>
    public const string Killed = "KILLED";

    /// <summary>Marked dead (failed to complete).</summary>
    public const string Dead = "DEAD";

    /// <summary>Stuck or dead.</summary>
    public const string StuckDead = "STUCK/DEAD";

    /// <summary>Status computed from test data.</summary>
    public const string Auto = "AUTO";

    /// <summary>AUTO with a warning rollup.</summary>
    public const string AutoWarn = "AUTO-WARN";

    /// <summary>Item whose prerequisites failed in non-toplevel mode.</summary>
    public const string Blocked = "BLOCKED";

    /// <summary>Scheduler keeps trying.</summary>
    public const string KeepTrying = "KEEP_TRYING";

    /// <summary>Scheduler gave up after about ten tries.</summary>
    public const string TenStrikes = "TEN_STRIKES";

    /// <summary>Nothing seen running for a long time.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>Locked (remove/clean in progress).</summary>
    public const string Locked = "LOCKED";

    /// <summary>Incomplete.</summary>
    public const string Incomplete = "INCOMPLETE";

    /// <summary>A kill found no process.</summary>
    public const string FailedToKill = "FAILED TO KILL";

    private static readonly Dictionary<string, int> s_weights = new(StringComparer.Ordinal)
    {
        [NA] = 1,
        [Pass] = 2,
        [Skip] = 3,
        [Warn] = 4,
        [Waived] = 5,
        [Check] = 6,
        [StuckDead] = 7,
        [Fail] = 8,
        [Abort] = 9,
    };

    /// <summary>The standard statuses in weight order (best first).</summary>
    public static IReadOnlyList<string> Standard { get; } = [NA, Pass, Skip, Warn, Waived, Check, StuckDead, Fail, Abort];

    /// <summary>Statuses that satisfy a prerequisite: PASS WARN CHECK WAIVED SKIP.</summary>
    public static IReadOnlySet<string> OkStatuses { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Pass, Warn, Check, Waived, Skip };

    /// <summary>Statuses a NOT_STARTED item may have without being "bad not started".</summary>
    public static IReadOnlySet<string> AcceptableNotStartedStatuses { get; } =
        new HashSet<string>(StringComparer.Ordinal) { NA, "na", Pass, Fail, Warn, Check, Waived, Dead, Skip };

    /// <summary>Weight of a status (higher = worse); unlisted statuses weigh 0.</summary>
    public static int StatusWeight(string s) => s_weights.GetValueOrDefault(s, 0);

    /// <summary>True for PASS, WARN, CHECK, WAIVED and SKIP.</summary>
    public static bool IsOk(string status) => OkStatuses.Contains(status);

    /// <summary>True when a NOT_STARTED record with this status is not "bad not started".</summary>
    public static bool IsAcceptableNotStarted(string status) => AcceptableNotStartedStatuses.Contains(status);

    /// <summary>The worst of two statuses by <see cref="StatusWeight"/>; ties keep <paramref name="a"/>.</summary>
    public static string Worst(string a, string b) => StatusWeight(b) > StatusWeight(a) ? b : a;
}
