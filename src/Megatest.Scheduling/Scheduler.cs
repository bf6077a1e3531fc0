using Megatest.Core;

namespace Megatest.Scheduling;

/// <summary>
/// Decides, for one plan, what can happen now (SPEC §4.1, §6.3, §6.7): which rows have their
/// prerequisites met and may be launched, which can never run (PREQ_FAIL, PREQ_DISCARDED, ZERO_ITEMS)
/// and which itemized tests can be expanded. It only reads the plan and returns decisions.
/// </summary>
public static class Scheduler
{
    /// <summary>The comment Megatest gives rows whose prerequisites failed.</summary>
    public const string PrereqComment = "Failed to run due to failed prerequisites";

    /// <summary>
    /// Returns the decisions possible now. <paramref name="reserve"/> is asked before each launch and
    /// reserves capacity (slots, max_concurrent_jobs, job groups) when it answers true.
    /// </summary>
    /// <remarks>
    /// A pass is incremental: it looks only at the rows the plan woke since the last pass (their own row or a
    /// prerequisite's row changed, or they were made unsettled again) and at the rows already found ready, which
    /// wait for capacity in launch order. <paramref name="hasCapacity"/>, when given, says whether any launch can
    /// be reserved at all; once it says no, the remaining ready rows are left for a later pass.
    /// </remarks>
    public static List<Decision> Decide(RunPlan plan, Func<PlannedTest, bool> reserve, Func<PlannedTest, RowState, string?>? skip = null, Func<PlannedTest, RowState, bool>? mustWait = null, Func<bool>? hasCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(reserve);
        skip ??= (_, _) => null;
        var wait = mustWait ?? ((_, _) => false);
        var decisions = new List<Decision>();
        if (!plan.Ready)
        {
            return decisions;
        }

        // Rows of tests with [skip] rules are asked again every pass while they wait: the rules look at other runs and files.
        List<(int, int)>? again = null;
        while (plan.TakeDirty(out var key))
        {
            var test = plan.LaunchOrder[key.Test];
            if (test.Finished)
            {
                continue;
            }

            if (VisitDirty(plan, test, key.Item, skip, decisions) && test.HasSkipRules)
            {
                (again ??= []).Add(key);
            }
        }

        foreach (var key in again ?? [])
        {
            plan.MarkDirty(key);
        }

        LaunchReady(plan, reserve, wait, hasCapacity, decisions);
        return decisions;
    }

    /// <summary>Looks at one woken test (item -1) or item; true when the row is now ready to launch.</summary>
    private static bool VisitDirty(RunPlan plan, PlannedTest test, int itemIndex, Func<PlannedTest, RowState, string?> skip, List<Decision> decisions)
    {
        var top = plan.Row(test.Name, "");
        if (top is null)
        {
            return false;
        }

        if (!test.IsItemized)
        {
            var ready = DecideRow(plan, test, top, null, skip, decisions);
            if (top.Settled)
            {
                test.Finished = true;
            }

            return ready;
        }

        if (test.Expanded)
        {
            if (itemIndex >= 0 && plan.Row(test.Name, test.SelectedItems[itemIndex].Path) is { } row)
            {
                var ready = DecideRow(plan, test, row, test.SelectedItems[itemIndex], skip, decisions);
                test.Finished = test.OpenItems == 0;
                return ready;
            }

            test.Finished = test.OpenItems == 0;
            return false;
        }

        var outcome = Prerequisites(plan, test, "");
        if (outcome == WaitonOutcome.Pending)
        {
            return false;
        }

        if (outcome != WaitonOutcome.Met)
        {
            Settle(plan, test, top, outcome, decisions);
            test.Finished = true;
            return false;
        }

        while (test.Items is { Count: 0 } && test.ItemReloadsLeft > 0 && test.ReloadItems is { } reload)
        {
            // Zero items can be a passing failure of the command that lists them: read them again.
            test.ItemReloadsLeft--;
            test.Items = reload() ?? test.Items;
        }

        if (test.Items!.Count == 0)
        {
            top.Settled = true;
            decisions.Add(new SetRowDecision(top, States.NotStarted, Statuses.ZeroItems, PrereqComment));
            test.Finished = true;
            return false;
        }

        var selected = test.Items.Where(i => plan.Pattern.Matches(test.Name, i.Path)).ToList();
        plan.Expand(test, selected);
        if (selected.Count == 0)
        {
            test.Finished = true;
            return false;
        }

        decisions.Add(new ExpandDecision(test, selected));
        return false;
    }

    /// <summary>Launches ready rows in launch order while the gate and the coordinator's capacity allow.</summary>
    private static void LaunchReady(RunPlan plan, Func<PlannedTest, bool> reserve, Func<PlannedTest, RowState, bool> wait, Func<bool>? hasCapacity, List<Decision> decisions)
    {
        var ready = plan.ReadyRows;
        if (ready.Count == 0)
        {
            return;
        }

        var delay = LaunchGate.HasDelay(plan);
        List<(int, int)>? gone = null;
        foreach (var key in ready)
        {
            if (hasCapacity is not null && !hasCapacity())
            {
                break;
            }

            var test = plan.LaunchOrder[key.Test];
            var item = key.Item >= 0 ? test.SelectedItems[key.Item] : null;
            var row = plan.Row(test.Name, item?.Path ?? "");
            if (row is null || row.Settled || test.Finished || plan.InFlight.Contains(row.Id))
            {
                (gone ??= []).Add(key);
                continue;
            }

            if (wait(test, row) || !reserve(test))
            {
                continue;
            }

            row.Settled = true;
            decisions.Add(new LaunchDecision(test, row, item));
            (gone ??= []).Add(key);
            test.Finished = test.IsItemized ? test.OpenItems == 0 : true;
            if (delay)
            {
                break; // with launch-delay only one test may start per pass; the timer brings the next pass
            }
        }

        foreach (var key in gone ?? [])
        {
            ready.Remove(key);
        }
    }

    /// <summary>True when nothing in the plan is left to decide or running.</summary>
    public static bool IsComplete(RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Ready && plan.InFlight.Count == 0 && plan.OutstandingRequests == 0 && plan.Order.All(t => t.Finished);
    }

    /// <summary>The rows still waiting for prerequisites (used when a plan can make no progress).</summary>
    public static IEnumerable<RowState> Waiting(RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var test in plan.Order.Where(t => !t.Finished))
        {
            if (!test.IsItemized || !test.Expanded)
            {
                if (plan.Row(test.Name, "") is { Settled: false } top)
                {
                    yield return top;
                }

                continue;
            }

            foreach (var item in test.SelectedItems)
            {
                if (plan.Row(test.Name, item.Path) is { Settled: false } row)
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>Decides what it can for one row; true when it is ready to launch (prerequisites met, not skipped).</summary>
    private static bool DecideRow(RunPlan plan, PlannedTest test, RowState row, Item? item, Func<PlannedTest, RowState, string?> skip, List<Decision> decisions)
    {
        var key = RunPlan.KeyOf(test, row);
        if (row.Settled || plan.InFlight.Contains(row.Id))
        {
            plan.ReadyRows.Remove(key);
            return false;
        }

        if (States.IsRunning(row.State))
        {
            plan.ReadyRows.Remove(key);
            return false; // launched by an earlier coordinator; it reports by itself
        }

        if (!RelaunchRules.ShouldLaunch(row.State, row.Status, plan.Relaunch))
        {
            plan.ReadyRows.Remove(key);
            row.Settled = true;
            return false;
        }

        var outcome = Prerequisites(plan, test, item?.Path ?? "");
        if (outcome == WaitonOutcome.Pending)
        {
            plan.ReadyRows.Remove(key);
            return false;
        }

        if (outcome != WaitonOutcome.Met)
        {
            Settle(plan, test, row, outcome, decisions);
            return false;
        }

        if (skip(test, row) is { } reason)
        {
            plan.ReadyRows.Remove(key);
            row.Settled = true;
            decisions.Add(new SetRowDecision(row, States.Completed, Statuses.Skip, reason));
            return false;
        }

        plan.ReadyRows.Add(key);
        return true;
    }

    private static void Settle(RunPlan plan, PlannedTest test, RowState row, WaitonOutcome outcome, List<Decision> decisions)
    {
        plan.ReadyRows.Remove(RunPlan.KeyOf(test, row));
        row.Settled = true;
        var status = outcome == WaitonOutcome.Failed ? Statuses.PreqFail : Statuses.PreqDiscarded;
        decisions.Add(new SetRowDecision(row, States.NotStarted, status, PrereqComment));
    }

    private static WaitonOutcome Prerequisites(RunPlan plan, PlannedTest test, string itemPath)
    {
        var result = WaitonOutcome.Met;
        foreach (var w in test.Waitons)
        {
            var outcome = WaitonCheck.Evaluate(test.Mode, itemPath, w, test.ItemMap, item => Lookup(plan, w, item));
            if (outcome == WaitonOutcome.Failed)
            {
                return WaitonOutcome.Failed;
            }

            if (outcome == WaitonOutcome.Discarded)
            {
                result = WaitonOutcome.Discarded;
            }
            else if (outcome == WaitonOutcome.Pending && result == WaitonOutcome.Met)
            {
                result = WaitonOutcome.Pending;
            }
        }

        return result;
    }

    private static RowStateStatus? Lookup(RunPlan plan, string test, string item) =>
        plan.Row(test, item) is not { } r ? null
        : !r.Settled && r.IsSystemFailure ? new RowStateStatus(States.NotStarted, Statuses.NA) // [setup] reruns runs it again: wait for it
        : new RowStateStatus(r.State, r.Status);
}
