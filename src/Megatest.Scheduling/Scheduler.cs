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
    public static List<Decision> Decide(RunPlan plan, Func<PlannedTest, bool> reserve, Func<PlannedTest, RowState, string?>? skip = null, Func<PlannedTest, RowState, bool>? mustWait = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(reserve);
        skip ??= (_, _) => null;
        var wait = mustWait ?? ((_, _) => false);
        var launched = false;
        bool Gate(PlannedTest t, RowState r)
        {
            // With launch-delay only one test may start per pass; the timer brings the next pass.
            if ((launched && LaunchGate.HasDelay(plan)) || wait(t, r))
            {
                return false;
            }

            if (!reserve(t))
            {
                return false;
            }

            launched = true;
            return true;
        }

        var decisions = new List<Decision>();
        if (!plan.Ready)
        {
            return decisions;
        }

        foreach (var test in plan.LaunchOrder)
        {
            if (test.Finished)
            {
                continue;
            }

            var top = plan.Row(test.Name, "");
            if (top is null)
            {
                continue;
            }

            if (!test.IsItemized)
            {
                DecideRow(plan, test, top, null, Gate, skip, decisions);
                if (top.Settled)
                {
                    test.Finished = true;
                }

                continue;
            }

            if (!test.Expanded)
            {
                var outcome = Prerequisites(plan, test, "");
                if (outcome == WaitonOutcome.Pending)
                {
                    continue;
                }

                if (outcome != WaitonOutcome.Met)
                {
                    Settle(top, outcome, decisions);
                    test.Finished = true;
                    continue;
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
                    continue;
                }

                var selected = test.Items.Where(i => plan.Pattern.Matches(test.Name, i.Path)).ToList();
                test.SelectedItems = selected;
                test.Expanded = true;
                if (selected.Count == 0)
                {
                    test.Finished = true;
                    continue;
                }

                decisions.Add(new ExpandDecision(test, selected));
                continue;
            }

            var allSettled = true;
            foreach (var item in test.SelectedItems)
            {
                var row = plan.Row(test.Name, item.Path);
                if (row is null)
                {
                    allSettled = false;
                    continue;
                }

                DecideRow(plan, test, row, item, Gate, skip, decisions);
                allSettled &= row.Settled;
            }

            test.Finished = allSettled;
        }

        return decisions;
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

    private static void DecideRow(RunPlan plan, PlannedTest test, RowState row, Item? item, Func<PlannedTest, RowState, bool> reserve, Func<PlannedTest, RowState, string?> skip, List<Decision> decisions)
    {
        if (row.Settled || plan.InFlight.Contains(row.Id))
        {
            return;
        }

        if (States.IsRunning(row.State))
        {
            return; // launched by an earlier coordinator; it reports by itself
        }

        if (!RelaunchRules.ShouldLaunch(row.State, row.Status, plan.Relaunch))
        {
            row.Settled = true;
            return;
        }

        var outcome = Prerequisites(plan, test, item?.Path ?? "");
        if (outcome == WaitonOutcome.Pending)
        {
            return;
        }

        if (outcome != WaitonOutcome.Met)
        {
            Settle(row, outcome, decisions);
            return;
        }

        if (skip(test, row) is { } reason)
        {
            row.Settled = true;
            decisions.Add(new SetRowDecision(row, States.Completed, Statuses.Skip, reason));
            return;
        }

        if (!reserve(test, row))
        {
            return;
        }

        row.Settled = true;
        decisions.Add(new LaunchDecision(test, row, item));
    }

    private static void Settle(RowState row, WaitonOutcome outcome, List<Decision> decisions)
    {
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
        plan.Row(test, item) is { } r ? new RowStateStatus(r.State, r.Status) : null;
}
