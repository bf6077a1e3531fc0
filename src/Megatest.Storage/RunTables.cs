namespace Megatest.Storage;

/// <summary>
/// Where the per-run tables (tests, test_steps, test_data, test_rundat) of a run are read and written: the main
/// database (<see cref="DatabaseLayout.Legacy"/>) or the run's own file (<see cref="DatabaseLayout.PerRun"/>).
/// The write batch and the run reader send every statement over those tables through this seam.
/// </summary>
internal abstract class RunTables : IDisposable
{
    protected RunTables(CommandCache main)
    {
        Main = main;
    }

    /// <summary>Commands on the main database (runs, keys, run_stats, metadata).</summary>
    public CommandCache Main { get; }

    /// <summary>True when runs have files of their own.</summary>
    public abstract bool PerRun { get; }

    /// <summary>Commands on the tables holding run <paramref name="runId"/>'s tests; null when there is no such run.</summary>
    public abstract CommandCache? ForRun(long runId);

    /// <summary>Commands on the tables holding test <paramref name="testId"/>; null when its run does not exist.</summary>
    public abstract CommandCache? ForTest(long testId);

    /// <summary>Every place holding tests, in run id order (one, the main database, for the legacy layout).</summary>
    public abstract IEnumerable<CommandCache> All();

    /// <summary>The id the first test of a new run file continues from; null when SQLite chooses ids (legacy).</summary>
    public abstract long? TestIdBase(long runId);

    /// <summary>A run was just created: a file left by an earlier run of the same id is emptied.</summary>
    public virtual void RunCreated(long runId)
    {
    }

    /// <summary>A run was deleted: its file goes once the batch has committed.</summary>
    public virtual void RunDeleted(long runId)
    {
    }

    /// <summary>Commits what the batch wrote to run files (before the main database commits).</summary>
    public virtual void CommitRuns()
    {
    }

    /// <summary>Rolls back what the batch wrote to run files.</summary>
    public virtual void RollbackRuns()
    {
    }

    /// <summary>The batch ended (after the main database committed or rolled back).</summary>
    public virtual void EndBatch(bool committed)
    {
    }

    public virtual void Dispose() => Main.Dispose();

    /// <summary>Creates the tables of <paramref name="layout"/> over the main database's commands.</summary>
    public static RunTables Create(CommandCache main, DatabaseLayout layout, string mainPath, bool writer) =>
        layout == DatabaseLayout.PerRun ? new PerRunTables(main, mainPath, writer) : new SingleFileTables(main);
}
