namespace Megatest.Storage;

/// <summary>Computes an itemized test's toplevel state/status from its items (SPEC §6.4).</summary>
public static class ToplevelRollup
{
    /// <summary>
    /// State: RUNNING if any item is running (RUNNING/REMOTEHOSTSTART/LAUNCHED); else COMPLETED if any item is
    /// "bad not started"; else the highest-weight non-COMPLETED state present; else COMPLETED.
    /// Status: CHECK if any item is bad-not-started or the state is NOT_STARTED while some items are not
    /// COMPLETED; otherwise the worst status present (ties: first seen). No items gives COMPLETED/n/a.
    /// </summary>
    public static (string State, string Status) Compute(IEnumerable<(string State, string Status)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var anyRunning = false;
        var anyBadNotStarted = false;
        var anyNotCompleted = false;
        string? bestState = null;
        string? worstStatus = null;
        foreach (var (state, status) in items)
        {
            anyRunning |= StateWeights.IsRunning(state);
            anyBadNotStarted |= StateWeights.IsBadNotStarted(state, status);
            if (state != "COMPLETED")
            {
                anyNotCompleted = true;
                if (bestState is null || StateWeights.StateWeight(state) > StateWeights.StateWeight(bestState))
                {
                    bestState = state;
                }
            }

            if (worstStatus is null || StateWeights.StatusWeight(status) > StateWeights.StatusWeight(worstStatus))
            {
                worstStatus = status;
            }
        }

        var newState = anyRunning ? "RUNNING"
            : anyBadNotStarted ? "COMPLETED"
            : bestState ?? "COMPLETED";
        var newStatus = anyBadNotStarted || (newState == "NOT_STARTED" && anyNotCompleted)
            ? "CHECK"
            : worstStatus ?? "n/a";
        return (newState, newStatus);
    }
}
