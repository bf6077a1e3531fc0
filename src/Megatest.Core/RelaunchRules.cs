namespace Megatest.Core;

/// <summary>Whether the scheduler (re)launches a test given its existing record (SPEC §6.7).</summary>
public static class RelaunchRules
{
    private static readonly HashSet<string> s_neverRerun = new(StringComparer.Ordinal)
    {
        States.Killed, States.KillReq, States.Removing, States.Cleaning, States.ArchiveRemoving, States.Archived,
    };

    /// <summary>Scheduler options affecting relaunch.</summary>
    /// <param name="Force"><c>-force</c>: always launch.</param>
    /// <param name="RerunStatuses"><c>-rerun LIST</c> statuses (compared case-insensitively), or null.</param>
    /// <param name="KeepGoing"><c>-keepgoing</c>: never re-run FAIL.</param>
    public sealed record Options(bool Force, IReadOnlySet<string>? RerunStatuses, bool KeepGoing)
    {
        /// <summary>No flags.</summary>
        public static Options Default { get; } = new(false, null, false);
    }

    /// <summary>Parses a <c>-rerun</c> comma list into a case-insensitive set (blank entries dropped).</summary>
    public static IReadOnlySet<string> ParseRerunList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new HashSet<string>(
            list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Decision, in this order: <c>-force</c> → launch; running states (LAUNCHED, REMOTEHOSTSTART, RUNNING) →
    /// no; NOT_STARTED, INCOMPLETE, DELETED, STALE → launch; KILLED (and the transitional/archived states KILLREQ,
    /// REMOVING, CLEANING, ARCHIVE_REMOVING, ARCHIVED) → no; <c>-keepgoing</c> and status FAIL → no;
    /// <c>-rerun LIST</c> → launch iff the status is listed; otherwise no (COMPLETED with any status, or an OK
    /// status, stays; Megatest's unreachable "FAIL or n/a → run" rule is not reproduced).
    /// </summary>
    public static bool ShouldLaunch(string state, string status, Options options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Force)
        {
            return true;
        }

        if (States.IsRunning(state))
        {
            return false;
        }

        // STALE (a COMPLETED test whose run's configs changed since it ran) runs again like INCOMPLETE.
        if (state is States.NotStarted or States.Incomplete or States.Deleted or States.Stale)
        {
            return true;
        }

        if (s_neverRerun.Contains(state))
        {
            return false;
        }

        if (options.KeepGoing && status == Statuses.Fail)
        {
            return false;
        }

        if (options.RerunStatuses is { } rerun)
        {
            return rerun.Contains(status) || rerun.Any(s => string.Equals(s, status, StringComparison.OrdinalIgnoreCase));
        }

        return false;
    }
}
