namespace Megatest.Core;

/// <summary>Test state names of SPEC §6.1, their sort weights and the groupings used by the logic.</summary>
public static class States
{
    /// <summary>Registered, not (yet) launched.</summary>
    public const string NotStarted = "NOT_STARTED";

    /// <summary>Launch command issued.</summary>
    public const string Launched = "LAUNCHED";

    /// <summary>The <c>-execute</c> process started on the test host.</summary>
    public const string RemoteHostStart = "REMOTEHOSTSTART";

    /// <summary>Steps are running.</summary>
    public const string Running = "RUNNING";

    /// <summary>Finished.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>Killed on request or by the run time limit.</summary>
    public const string Killed = "KILLED";

    /// <summary>Kill requested.</summary>
    public const string KillReq = "KILLREQ";

    /// <summary>The <c>-execute</c> process was interrupted.</summary>
    public const string Incomplete = "INCOMPLETE";

    /// <summary>Stuck test.</summary>
    public const string Stuck = "STUCK";

    /// <summary>Archived.</summary>
    public const string Archived = "ARCHIVED";

    /// <summary>Deleted.</summary>
    public const string Deleted = "DELETED";

    /// <summary>Being cleaned (preclean).</summary>
    public const string Cleaning = "CLEANING";

    /// <summary>Being removed.</summary>
    public const string Removing = "REMOVING";

    /// <summary>Stale record.</summary>
    public const string Stale = "STALE";

    /// <summary>Unknown state.</summary>
    public const string Unknown = "UNKNOWN";

    /// <summary>Being removed after archiving.</summary>
    public const string ArchiveRemoving = "ARCHIVE_REMOVING";

    /// <summary>A kill during remove did not succeed.</summary>
    public const string FailedKill = "FAILEDKILL";

    private static readonly Dictionary<string, int> s_weights = new(StringComparer.Ordinal)
    {
        [Archived] = 0,
        [Stuck] = 1,
        [KillReq] = 2,
        [Killed] = 3,
        [NotStarted] = 4,
        [Completed] = 5,
        [Launched] = 6,
        [RemoteHostStart] = 7,
        [Running] = 8,
    };

    /// <summary>The standard states, in weight order (lowest first).</summary>
    public static IReadOnlyList<string> Standard { get; } =
        [Archived, Stuck, KillReq, Killed, NotStarted, Completed, Launched, RemoteHostStart, Running];

    /// <summary>States in which the test runs: RUNNING, REMOTEHOSTSTART, LAUNCHED.</summary>
    public static IReadOnlySet<string> RunningStates { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Running, RemoteHostStart, Launched };

    /// <summary>States in which the test stopped and will not proceed.</summary>
    public static IReadOnlySet<string> EndedStates { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Completed, Archived, Killed, KillReq, Stuck, Incomplete };

    /// <summary>States that roll up as CHECK (the spec also lists the status DEAD in this group).</summary>
    public static IReadOnlySet<string> BadlyEndedStates { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Killed, KillReq, Stuck, Incomplete, Statuses.Dead };

    /// <summary>States in which a test can't run.</summary>
    public static IReadOnlySet<string> CantRunStates { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Completed, Killed, Unknown, Incomplete, Archived };

    /// <summary>Sort weight of a state (higher = more active); unlisted states weigh 0.</summary>
    public static int StateWeight(string state) => s_weights.GetValueOrDefault(state, 0);

    /// <summary>True for RUNNING, REMOTEHOSTSTART and LAUNCHED.</summary>
    public static bool IsRunning(string state) => RunningStates.Contains(state);

    /// <summary>True for the ended states (COMPLETED, ARCHIVED, KILLED, KILLREQ, STUCK, INCOMPLETE).</summary>
    public static bool IsEnded(string state) => EndedStates.Contains(state);

    /// <summary>True for states that roll up as CHECK (KILLED, KILLREQ, STUCK, INCOMPLETE, DEAD).</summary>
    public static bool IsBadlyEnded(string state) => BadlyEndedStates.Contains(state);

    /// <summary>True for the can't-run states (COMPLETED, KILLED, UNKNOWN, INCOMPLETE, ARCHIVED).</summary>
    public static bool IsCantRun(string state) => CantRunStates.Contains(state);
}
