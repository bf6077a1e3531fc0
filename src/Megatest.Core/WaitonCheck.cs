namespace Megatest.Core;

/// <summary>Evaluates whether a waiton is met (SPEC §4.1) from the waited-on test's rows in the same run.</summary>
public static class WaitonCheck
{
    /// <summary>
    /// Checks the waiton <paramref name="waitonName"/> for the waiting test's item <paramref name="waitingItemPath"/>
    /// (<c>""</c> = toplevel / non-itemized). <paramref name="lookup"/> returns the waited-on test's row for an item
    /// path (<c>""</c> = its toplevel) or null when there is no row yet (→ Pending).
    /// </summary>
    /// <remarks>
    /// <para><b>normal</b>: the waited-on toplevel decides (<see cref="Classify"/>).</para>
    /// <para><b>toplevel</b> (takes precedence over itemwait): met when the toplevel is COMPLETED (any status) or
    /// KILLED, and also (decision) when it is NOT_STARTED with a final bad status (PREQ_FAIL, ZERO_ITEMS, …), since
    /// such a test will never complete and summary tests must still run; otherwise pending.</para>
    /// <para><b>itemwait</b>: for an item P the waited-on row <c>map(P)</c> decides; when that row does not exist
    /// (e.g. the waited-on test is not itemized) the waited-on toplevel decides instead. For P = <c>""</c> the
    /// toplevel decides, and RUNNING (or LAUNCHED/REMOTEHOSTSTART) also counts as met (Megatest quirk, kept).</para>
    /// <para><b>exclusive</b> is not evaluated here (it needs all runs).</para>
    /// </remarks>
    public static WaitonOutcome Evaluate(
        WaitMode mode, string waitingItemPath, string waitonName, ItemMap map, Func<string, RowStateStatus?> lookup)
    {
        ArgumentNullException.ThrowIfNull(waitingItemPath);
        ArgumentNullException.ThrowIfNull(waitonName);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(lookup);
        var toplevel = lookup("");
        if (mode.HasFlag(WaitMode.Toplevel))
        {
            if (toplevel is null)
            {
                return WaitonOutcome.Pending;
            }

            return toplevel.State is States.Completed or States.Killed || IsBadNotStarted(toplevel)
                ? WaitonOutcome.Met
                : WaitonOutcome.Pending;
        }

        if (mode.HasFlag(WaitMode.ItemWait))
        {
            if (waitingItemPath.Length == 0)
            {
                return toplevel is not null && States.IsRunning(toplevel.State) ? WaitonOutcome.Met : Classify(toplevel);
            }

            var mapped = map.Map(waitonName, waitingItemPath);
            var row = mapped.Length == 0 ? toplevel : lookup(mapped) ?? toplevel;
            return Classify(row);
        }

        return Classify(toplevel);
    }

    /// <summary>
    /// Normal-mode classification of one row: null → Pending; COMPLETED with an OK status → Met; COMPLETED,
    /// INCOMPLETE, KILLED or STUCK with a non-OK status → Failed (KILLED/STUCK added as decision: they never
    /// complete); NOT_STARTED "bad not started" → Discarded; anything else → Pending.
    /// </summary>
    public static WaitonOutcome Classify(RowStateStatus? row)
    {
        if (row is null)
        {
            return WaitonOutcome.Pending;
        }

        if (row.State == States.Completed && Statuses.IsOk(row.Status))
        {
            return WaitonOutcome.Met;
        }

        if (row.State is States.Completed or States.Incomplete or States.Killed or States.Stuck)
        {
            return Statuses.IsOk(row.Status) ? WaitonOutcome.Pending : WaitonOutcome.Failed;
        }

        return IsBadNotStarted(row) ? WaitonOutcome.Discarded : WaitonOutcome.Pending;
    }

    /// <summary>
    /// NOT_STARTED with a status that means it will not start by itself: any status outside
    /// <see cref="Statuses.IsAcceptableNotStarted"/> except KEEP_TRYING (e.g. PREQ_FAIL, PREQ_DISCARDED, ZERO_ITEMS,
    /// TEN_STRIKES, TIMED_OUT, BLOCKED). Decision: §4.1 says "status other than n/a or KEEP_TRYING"; the §6.1
    /// acceptable list is used instead so a toplevel whose items are partly done (e.g. NOT_STARTED/PASS) keeps
    /// its dependents waiting.
    /// </summary>
    public static bool IsBadNotStarted(RowStateStatus row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.State == States.NotStarted
            && !Statuses.IsAcceptableNotStarted(row.Status)
            && row.Status != Statuses.KeepTrying;
    }
}
