namespace Megatest.Storage;

/// <summary>State and status weights and groupings used by the rollups (SPEC §6.1).</summary>
internal static class StateWeights
{
    // Higher = "more active". Unlisted states weigh 0.
    private static readonly Dictionary<string, int> s_stateWeights = new(StringComparer.Ordinal)
    {
        ["ARCHIVED"] = 0,
        ["STUCK"] = 1,
        ["KILLREQ"] = 2,
        ["KILLED"] = 3,
        ["NOT_STARTED"] = 4,
        ["COMPLETED"] = 5,
        ["LAUNCHED"] = 6,
        ["REMOTEHOSTSTART"] = 7,
        ["RUNNING"] = 8,
    };

    // Higher = worse. Unlisted statuses (AUTO, DEAD, PREQ_FAIL, …) weigh 0 and lose to all of these.
    // Note: the listed name is literally "STUCK/DEAD"; a plain "DEAD" status weighs 0 (SPEC §6.1).
    private static readonly Dictionary<string, int> s_statusWeights = new(StringComparer.Ordinal)
    {
        ["n/a"] = 1,
        ["PASS"] = 2,
        ["SKIP"] = 3,
        ["WARN"] = 4,
        ["WAIVED"] = 5,
        ["CHECK"] = 6,
        ["STUCK/DEAD"] = 7,
        ["FAIL"] = 8,
        ["ABORT"] = 9,
    };

    private static readonly HashSet<string> s_runningStates = new(StringComparer.Ordinal) { "RUNNING", "REMOTEHOSTSTART", "LAUNCHED" };

    private static readonly HashSet<string> s_acceptableNotStartedStatuses = new(StringComparer.Ordinal)
    {
        "n/a", "na", "PASS", "FAIL", "WARN", "CHECK", "WAIVED", "DEAD", "SKIP",
    };

    public static int StateWeight(string state) => s_stateWeights.GetValueOrDefault(state);

    public static int StatusWeight(string status) => s_statusWeights.GetValueOrDefault(status);

    public static bool IsRunning(string state) => s_runningStates.Contains(state);

    /// <summary>NOT_STARTED with a status outside the acceptable list (e.g. PREQ_FAIL, ZERO_ITEMS).</summary>
    public static bool IsBadNotStarted(string state, string status) =>
        state == "NOT_STARTED" && !s_acceptableNotStartedStatuses.Contains(status);
}
