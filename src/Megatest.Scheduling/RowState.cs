namespace Megatest.Scheduling;

/// <summary>What the coordinator knows of one committed test row.</summary>
public sealed class RowState
{
    /// <summary>True when the system failed the test (INCOMPLETE, STUCK, DEAD): what [setup] reruns runs again.</summary>
    public bool IsSystemFailure =>
        State is Megatest.Core.States.Incomplete or Megatest.Core.States.Stuck || Status is Megatest.Core.Statuses.Dead or Megatest.Core.Statuses.StuckDead;

    /// <summary>tests.id.</summary>
    public required long Id { get; init; }

    /// <summary>Test name.</summary>
    public required string TestName { get; init; }

    /// <summary>Item path.</summary>
    public required string ItemPath { get; init; }

    /// <summary>State as last committed.</summary>
    public string State { get; set; } = "NOT_STARTED";

    /// <summary>Status as last committed.</summary>
    public string Status { get; set; } = "n/a";

    /// <summary>Comment as last committed.</summary>
    public string Comment { get; set; } = "";

    /// <summary>Start time (epoch seconds).</summary>
    public long EventTime { get; set; }

    /// <summary>Duration in seconds.</summary>
    public double RunDuration { get; set; }

    /// <summary>
    /// True once the scheduler has decided this row for the current plan (launched, kept as it was, or marked PREQ_*/ZERO_ITEMS).
    /// Setting it tells the plan, so that a row made unsettled again (a rerun, a launch with no agent) is looked at again.
    /// </summary>
    public bool Settled
    {
        get => _settled;
        set
        {
            if (_settled == value)
            {
                return;
            }

            _settled = value;
            Plan?.SettledChanged(this);
        }
    }

    /// <summary>The plan that holds the row (null for a row made outside a plan).</summary>
    internal RunPlan? Plan { get; init; }

    /// <summary>The row's index in its test's selected items once the test is expanded; -1 for a toplevel or an unselected item.</summary>
    internal int ItemIndex { get; set; } = -1;

    private bool _settled;
}
