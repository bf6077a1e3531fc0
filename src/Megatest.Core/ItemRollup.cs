namespace Megatest.Core;

/// <summary>Computes an itemized test's toplevel state/status from its items (SPEC §6.4).</summary>
public static class ItemRollup
{
    /// <summary>
    /// Rolls items up. State: RUNNING if any item is in a running state; else COMPLETED if any item is
    /// "bad not started" (NOT_STARTED with a status outside <see cref="Statuses.IsAcceptableNotStarted"/>); else
    /// the highest-weight state among the non-COMPLETED states present; else COMPLETED. Status: CHECK if there is
    /// a bad-not-started item; otherwise the worst status present (<see cref="Statuses.StatusWeight"/>; unlisted
    /// statuses lose to all). No items gives NOT_STARTED / n/a.
    /// </summary>
    /// <remarks>
    /// Deliberate deviation: SPEC §6.4 also yields CHECK "if the computed state is NOT_STARTED while some items are
    /// not completed". Taken literally that turns a toplevel whose items merely wait (e.g. NOT_STARTED/n/a next to
    /// COMPLETED/PASS) into NOT_STARTED/CHECK, which §4.1 would treat as "bad not started" and discard the
    /// dependents (PREQ_DISCARDED) — contradicting the expected outcomes of §12. Waiting items therefore keep the
    /// worst present status (e.g. NOT_STARTED/PASS, an acceptable not-started status).
    /// </remarks>
    /// <param name="items">Every item's (state, status), with the changing item's new values.</param>
    public static (string State, string Status) Compute(IEnumerable<(string State, string Status)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        if (list.Count == 0)
        {
            return (States.NotStarted, Statuses.NA);
        }

        var badNotStarted = list.Any(i => i.State == States.NotStarted && !Statuses.IsAcceptableNotStarted(i.Status));
        string state;
        if (list.Any(i => States.IsRunning(i.State)))
        {
            state = States.Running;
        }
        else if (badNotStarted)
        {
            state = States.Completed;
        }
        else
        {
            state = list.Where(i => i.State != States.Completed)
                .Select(i => i.State)
                .OrderByDescending(States.StateWeight)
                .FirstOrDefault() ?? States.Completed;
        }

        var status = badNotStarted ? Statuses.Check : list.Select(i => i.Status).Aggregate(Statuses.Worst);
        return (state, status);
    }
}
