namespace Megatest.Core;

/// <summary>Step exit-code mapping and step/test status combination (SPEC §6.5).</summary>
public static class StepResults
{
    /// <summary>
    /// Status of one step from its exit code (logpro's code when logpro was used): with logpro 0 PASS, 2 WARN,
    /// 3 CHECK, 4 WAIVED, 5 ABORT, 6 SKIP, else FAIL; without logpro 0 PASS, else FAIL.
    /// </summary>
    public static string StatusForExit(int code, bool usedLogPro)
    {
        if (!usedLogPro)
        {
            return code == 0 ? Statuses.Pass : Statuses.Fail;
        }

        return code switch
        {
            0 => Statuses.Pass,
            2 => Statuses.Warn,
            3 => Statuses.Check,
            4 => Statuses.Waived,
            5 => Statuses.Abort,
            6 => Statuses.Skip,
            _ => Statuses.Fail,
        };
    }

    /// <summary>True when the next step runs: exit 0, or exit 2 (WARN) when logpro was used.</summary>
    public static bool ContinuesAfter(int code, bool usedLogPro) => code == 0 || (usedLogPro && code == 2);

    /// <summary>
    /// Combines the running rollup with a step's status (§6.5 step 4): if the previous steps were all PASS
    /// (or there were none: blank, <c>n/a</c>, <c>-</c>) the step's status is taken; after a WARN, FAIL stays FAIL
    /// and anything else becomes WARN (Megatest quirk, copied: CHECK/ABORT/SKIP after a WARN report WARN).
    /// Any other previous rollup cannot continue into another step in Megatest; here the worse of the two wins.
    /// </summary>
    public static string Combine(string previousRollup, string stepStatus)
    {
        ArgumentNullException.ThrowIfNull(stepStatus);
        switch (previousRollup)
        {
            case null or "" or Statuses.NA or "-" or Statuses.Pass:
                return stepStatus;
            case Statuses.Warn:
                return stepStatus == Statuses.Fail ? Statuses.Fail : Statuses.Warn;
            default:
                return Statuses.Worst(previousRollup, stepStatus);
        }
    }

    /// <summary>
    /// Final status from the body's rollup code (end of §6.5): 0 PASS (AUTO when the test's status is AUTO),
    /// 1 FAIL, 2 WARN (AUTO-WARN when AUTO), 3 CHECK, 4 WAIVED, 5 ABORT, 6 SKIP, other FAIL.
    /// </summary>
    public static string StatusForRollupCode(int code, bool auto) => code switch
    {
        0 => auto ? Statuses.Auto : Statuses.Pass,
        1 => Statuses.Fail,
        2 => auto ? Statuses.AutoWarn : Statuses.Warn,
        3 => Statuses.Check,
        4 => Statuses.Waived,
        5 => Statuses.Abort,
        6 => Statuses.Skip,
        _ => Statuses.Fail,
    };

    /// <summary>
    /// Rollup code of a status (inverse of <see cref="StatusForRollupCode"/>, used to turn a step rollup into
    /// the body's code): PASS/AUTO 0, FAIL 1, WARN/AUTO-WARN 2, CHECK 3, WAIVED 4, ABORT 5, SKIP 6, other 1.
    /// </summary>
    public static int RollupCodeForStatus(string status) => status switch
    {
        Statuses.Pass or Statuses.Auto => 0,
        Statuses.Warn or Statuses.AutoWarn => 2,
        Statuses.Check => 3,
        Statuses.Waived => 4,
        Statuses.Abort => 5,
        Statuses.Skip => 6,
        _ => 1,
    };
}
