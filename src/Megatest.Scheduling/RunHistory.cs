using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;

namespace Megatest.Scheduling;

/// <summary>
/// The coordinator's read-only look at the database for decisions that depend on other runs:
/// [skip] rules (SPEC §4) and the previous WAIVED result used by waivers (§4.4). Reading is allowed to
/// every role; only the db writer writes.
/// </summary>
public sealed class RunHistory : IDisposable
{
    private static readonly string[] s_running = [States.Launched, States.RemoteHostStart, States.Running];
    private static readonly string[] s_finished = [States.Completed, States.Incomplete];
    private readonly string _path;
    private MegatestQueries? _db;

    /// <summary>Reads the database at <paramref name="path"/> when it is needed.</summary>
    public RunHistory(string path)
    {
        _path = path;
    }

    private MegatestQueries Db => _db ??= MegatestQueries.Open(_path);

    /// <summary>Why the row is skipped, or null (only the first of prevrunning, fileexists, rundelay present counts).</summary>
    public string? SkipReason(RunPlan plan, PlannedTest test, RowState row, Func<string, string, bool> runningHere)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(runningHere);
        var skip = test.Config.Section("skip");
        if (skip.Count == 0)
        {
            return null;
        }

        if (test.Config.Get("skip", "prevrunning") is not null)
        {
            return RunningAnywhere(test.Name, row.ItemPath, runningHere) ? "Skipped: prevrunning, the same test is running in another run" : null;
        }

        if (test.Config.Get("skip", "fileexists") is { } file)
        {
            var path = Path.Combine(plan.Area.TopPath, file.Trim());
            return File.Exists(path) || Directory.Exists(path) ? $"Skipped: fileexists {file.Trim()}" : null;
        }

        if (test.Config.Get("skip", "rundelay") is { } delay)
        {
            var seconds = DurationSpec.ParseSeconds(delay) ?? 0;
            if (RunningAnywhere(test.Name, row.ItemPath, runningHere))
            {
                return "Skipped: rundelay, the same test is running in another run";
            }

            var last = Db.TestsInStates(s_finished)
                .Where(t => t.TestName == test.Name && t.ItemPath == row.ItemPath && t.Id != row.Id && t.Status is "PASS" or "FAIL" or "ABORT")
                .Select(t => t.EventTime)
                .DefaultIfEmpty(0)
                .Max();
            var age = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - last;
            return last > 0 && age < seconds ? $"Skipped: rundelay {delay.Trim()}, last run started {age} s ago" : null;
        }

        return null;
    }

    /// <summary>The run directory and comment of this test in the most recent other run of the target, when it ended COMPLETED/WAIVED.</summary>
    public (string RunDir, string Comment)? PreviousWaiver(RunPlan plan, string testName, string itemPath)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.Tests.TryGetValue(testName, out var test) || test.Config.Section("waivers").Count == 0 || !File.Exists(_path))
        {
            return null;
        }

        var previous = Db.Runs(plan.Request.Target, "%")
            .Where(r => r.Id != plan.RunId)
            .OrderByDescending(r => r.EventTime)
            .ThenByDescending(r => r.Id)
            .Select(r => Db.FindTest(r.Id, testName, itemPath))
            .FirstOrDefault(t => t is not null);
        return previous is { State: States.Completed, Status: Statuses.Waived } ? (previous.RunDir, previous.Comment) : null;
    }

    /// <summary>Every committed test row of run <paramref name="runId"/>, read straight from the database.</summary>
    public IEnumerable<TestRowInfo> Rows(long runId) =>
        Db.Tests(runId).Select(t => new TestRowInfo
        {
            Id = t.Id,
            RunId = t.RunId,
            TestName = t.TestName,
            ItemPath = t.ItemPath,
            State = t.State,
            Status = t.Status,
            Comment = t.Comment,
            EventTime = t.EventTime,
            RunDuration = t.RunDuration,
        });

    /// <summary>True when the database shows the test or item LAUNCHED, REMOTEHOSTSTART or RUNNING in any run.</summary>
    public bool RunningInDatabase(string testName, string itemPath) =>
        File.Exists(_path) && Db.TestsInStates(s_running).Any(t => t.TestName == testName && t.ItemPath == itemPath);

    private bool RunningAnywhere(string testName, string itemPath, Func<string, string, bool> runningHere) =>
        runningHere(testName, itemPath) || RunningInDatabase(testName, itemPath);

    /// <inheritdoc />
    public void Dispose() => _db?.Dispose();
}
