using Megatest.Core;
using Megatest.Protocol;
using Microsoft.Extensions.Logging;

namespace Megatest.Scheduling;

/// <summary>
/// What changes in an existing run before it runs again (SPEC §6.7, §5.2 and the road map):
/// -rerun-all and -rerun-clean send rows back to NOT_STARTED/n/a, [setup] allow-auto-rerun sends matching
/// rows back to NOT_STARTED keeping their status, and a changed megatest.config or runconfigs.config
/// (compared with the copies cached in MT_RUNPATH) turns the run's COMPLETED tests STALE; rows that -force or
/// -rerun LIST run again go back to NOT_STARTED keeping their status.
/// </summary>
public static class RunStartResets
{
    /// <summary>States that -rerun-clean sends back to NOT_STARTED unless [validvalues] cleanrerun-states says otherwise.</summary>
    public static readonly IReadOnlyList<string> CleanRerunStates = ["KILLREQ", "KILLED", "UNKNOWN", "INCOMPLETE", "STUCK", "NOT_STARTED"];

    /// <summary>Statuses that -rerun-clean sends back to NOT_STARTED unless [validvalues] cleanrerun-statuses says otherwise.</summary>
    public static readonly IReadOnlyList<string> CleanRerunStatuses = ["FAIL", "INCOMPLETE", "ABORT", "CHECK"];

    /// <summary>File names of the cached processed configs in MT_RUNPATH.</summary>
    public const string MegatestCache = ".megatest.cfg";

    /// <summary>File name of the cached processed runconfigs in MT_RUNPATH.</summary>
    public const string RunConfigsCache = ".runconfigs.cfg";

    /// <summary>The status changes to send before the run's rows are registered; also applied to the plan's rows.</summary>
    public static List<StatusChange> Compute(RunPlan plan, IReadOnlyList<TestRowInfo> rows, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        var changes = new List<StatusChange>();
        var stale = ConfigChanged(plan, logger);
        var cleanStates = Words(plan, "cleanrerun-states") ?? CleanRerunStates;
        var cleanStatuses = Words(plan, "cleanrerun-statuses") ?? CleanRerunStatuses;
        var autoRerun = (plan.Area.Megatest.Get("setup", "allow-auto-rerun") ?? "")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('/', 2))
            .Where(pair => pair.Length == 2)
            .ToList();
        if (plan.Request.RerunClean || plan.Request.RerunAll)
        {
            plan.Request.Preclean = true;
        }

        foreach (var row in rows)
        {
            string? state = null;
            string? status = null;
            if (plan.Request.RerunAll)
            {
                (state, status) = (States.NotStarted, Statuses.NA);
            }
            else if (plan.Request.RerunClean && (cleanStates.Contains(row.State) || cleanStatuses.Contains(row.Status)))
            {
                (state, status) = (States.NotStarted, Statuses.NA);
            }
            else if (plan.Tests.ContainsKey(row.TestName) && plan.Pattern.Matches(row.TestName, row.ItemPath)
                && autoRerun.Any(p => (p[0].Length == 0 || p[0] == row.State) && (p[1].Length == 0 || p[1] == row.Status)))
            {
                state = States.NotStarted;
            }
            else if (stale && row.State == States.Completed)
            {
                state = States.Stale;
            }
            else if (plan.Tests.ContainsKey(row.TestName) && plan.Pattern.Matches(row.TestName, row.ItemPath) && !States.IsRunning(row.State)
                && RelaunchRules.ShouldLaunch(row.State, row.Status, plan.Relaunch) && !RelaunchRules.ShouldLaunch(row.State, row.Status, RelaunchRules.Options.Default))
            {
                // -force and -rerun LIST: what they send to run again is NOT_STARTED in the database before anything
                // launches, so a coordinator that restarts mid-run knows what is left without applying them twice.
                state = States.NotStarted;
            }

            if (state is null)
            {
                continue;
            }

            changes.Add(new StatusChange { TestId = row.Id, State = state, Status = status });
            var updated = row with { State = state, Status = status ?? row.Status };
            plan.Apply(updated);
        }

        return changes;
    }

    private static IReadOnlyList<string>? Words(RunPlan plan, string key) =>
        plan.Area.Megatest.Get("validvalues", key) is { } text
            ? text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : null;

    /// <summary>
    /// Compares the processed configs with the copies cached in MT_RUNPATH and rewrites the copies only when
    /// they changed. True when a cached copy existed and differs.
    /// </summary>
    private static bool ConfigChanged(RunPlan plan, ILogger logger)
    {
        var runPath = plan.Area.RunPath(plan.Request.Target, plan.Request.RunName);
        var changed = false;
        try
        {
            Directory.CreateDirectory(runPath);
            changed |= Refresh(Path.Combine(runPath, MegatestCache), plan.Area.Megatest.ToIniText());
            changed |= Refresh(Path.Combine(runPath, RunConfigsCache), plan.Area.RunConfigs.ToIniText());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("cannot cache the configs in {RunPath}: {Error}", runPath, ex.Message);
        }

        if (changed)
        {
            logger.LogInformation("configs of {Target}/{RunName} changed since the last run: its COMPLETED tests become STALE", plan.Request.Target, plan.Request.RunName);
        }

        return changed;
    }

    private static bool Refresh(string path, string text)
    {
        if (File.Exists(path))
        {
            if (File.ReadAllText(path) == text)
            {
                return false;
            }

            File.WriteAllText(path, text);
            return true;
        }

        File.WriteAllText(path, text);
        return false;
    }
}
