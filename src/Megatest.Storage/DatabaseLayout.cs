namespace Megatest.Storage;

/// <summary>Where the rows of each run's tests live (megatest.config <c>[db] api</c>).</summary>
public enum DatabaseLayout
{
    /// <summary><c>[db] api legacy</c> (default): every table in the one area database.</summary>
    Legacy,

    /// <summary>
    /// <c>[db] api new</c>: the main database keeps runs, keys, run_stats and area metadata; each run's tests,
    /// test_steps, test_data and test_rundat live in a file of their own, <c>MAIN.runs/RUNID.db</c>.
    /// </summary>
    PerRun,
}
