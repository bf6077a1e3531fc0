namespace Megatest.Storage;

/// <summary>Read access to runs, tests, steps and data; implemented inside a write batch and by <see cref="MegatestQueries"/>.</summary>
public interface IRunReader
{
    /// <summary>The area's key names, in order.</summary>
    IReadOnlyList<string> Keys();

    /// <summary>The run with exactly these key values and run name (any state), or null.</summary>
    RunRow? FindRun(IReadOnlyList<string> keyValues, string runName);

    /// <summary>The run with this id, or null.</summary>
    RunRow? GetRun(long runId);

    /// <summary>
    /// Runs not in state <c>deleted</c> matching the patterns, ordered by id. A null or empty pattern matches all.
    /// The target pattern is '/'-joined per-key patterns (missing trailing parts match anything);
    /// a part containing <c>%</c> is matched with LIKE, otherwise with GLOB (SPEC §3.3).
    /// </summary>
    IReadOnlyList<RunRow> Runs(string? targetPattern, string? runNamePattern);

    /// <summary>The test with this id, or null.</summary>
    TestRow? GetTest(long testId);

    /// <summary>The test of a run by name and item path (empty for plain tests/toplevels), or null.</summary>
    TestRow? FindTest(long runId, string testName, string itemPath);

    /// <summary>All tests of a run, ordered by testname, item_path.</summary>
    IReadOnlyList<TestRow> Tests(long runId);

    /// <summary>Tests of all runs whose state is in <paramref name="states"/>, ordered by run, testname, item_path.</summary>
    IReadOnlyList<TestRow> TestsInStates(IReadOnlyCollection<string> states);

    /// <summary>The step rows of a test, ordered by event time and id.</summary>
    IReadOnlyList<StepRow> Steps(long testId);

    /// <summary>The test_data rows of a test, ordered by category and variable.</summary>
    IReadOnlyList<TestDataRow> TestData(long testId);

    /// <summary>The run_stats tallies of a run, ordered by state and status.</summary>
    IReadOnlyList<RunStatRow> RunStats(long runId);

    /// <summary>Distinct targets of the runs not in state <c>deleted</c>, sorted.</summary>
    IReadOnlyList<string> DistinctTargets();
}
