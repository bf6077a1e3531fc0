using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// -reduce-records moves finished runs into completed-runs.db (a full Megatest database) and -restore-records moves them
/// back: afterwards megatest.db holds the same rows, row for row. -full-db lets queries see both files.
/// </summary>
public sealed class RecordsTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static readonly string[] s_runTables = ["runs", "tests", "test_steps", "test_data", "test_rundat", "extradat", "run_stats"];
    private readonly TempDir _tmp = new("records");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task ReduceThenRestore_LeavesMegatestDbRowForRowAsItWas()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "",
            ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]),
            ("other", [("testconfig", "[ezsteps]\nfail exit 3\n")]));
        foreach (var run in new[] { "r1", "r2", "r3" })
        {
            await Megatest(area, "-run", "-target", "v1", "-runname", run, "-testpatt", "%");
        }

        var db = Path.Combine(area, "megatest.db");
        var before = Dump(db);

        var reduced = await Megatest(area, "-reduce-records", "-target", "%", "-runname", "%");
        Assert.Contains("moved 2 runs to completed-runs.db", reduced.Stdout, StringComparison.Ordinal);
        Assert.Contains("stays: it holds the newest rows of megatest.db", reduced.Stdout, StringComparison.Ordinal);
        using (var main = new AreaDb(db))
        using (var completed = new AreaDb(Path.Combine(area, "completed-runs.db")))
        {
            Assert.Equal(["r3"], main.Query("SELECT runname FROM runs").Select(r => r[0]?.ToString()));
            Assert.Equal(["r1", "r2"], completed.Query("SELECT runname FROM runs ORDER BY id").Select(r => r[0]?.ToString()));
            Assert.Equal(4L, completed.Query("SELECT count(*) FROM tests")[0][0]);
            Assert.Equal(["v1"], completed.Query("SELECT KEY FROM runs GROUP BY KEY").Select(r => r[0]?.ToString()));
        }

        // Ordinary queries see megatest.db; -full-db sees completed-runs.db as well.
        var plain = await Megatest(area, "-list-runs", "%", "-target", "%");
        Assert.DoesNotContain("r1", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("r3", plain.Stdout, StringComparison.Ordinal);
        var full = await Megatest(area, "-list-runs", "%", "-target", "%", "-full-db");
        foreach (var run in new[] { "r1", "r2", "r3" })
        {
            Assert.Contains(run, full.Stdout, StringComparison.Ordinal);
        }

        var restored = await Megatest(area, "-restore-records", "-target", "%", "-runname", "%");
        Assert.Contains("moved 2 runs from completed-runs.db", restored.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, Dump(db));
        using (var completed = new AreaDb(Path.Combine(area, "completed-runs.db")))
        {
            Assert.Equal(0L, completed.Query("SELECT count(*) FROM runs")[0][0]);
        }

        // A second run of the area still works and gets fresh ids.
        await Megatest(area, "-run", "-target", "v1", "-runname", "r4", "-testpatt", "quick");
    }

    [Theory]
    [InlineData("-reduce-records")]
    [InlineData("-restore-records")]
    public async Task WithDbApiNew_IsRefusedNamingTheConfigLine(string verb)
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[db]\napi new\n", ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]));
        var config = Path.Combine(area, "megatest.config");
        var line = Array.IndexOf(File.ReadAllLines(config), "api new") + 1;
        await Megatest(area, "-run", "-target", "v1", "-runname", "r1", "-testpatt", "%");

        var refused = await MegatestProcess.RunAsync(area, s_timeout, verb, "-target", "%", "-runname", "%");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"megatest: {verb}: not needed with [db] api new ({config}:{line}): each run's records are already a file of their own (megatest.runs/RUNID.db", refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(area, "completed-runs.db")), "nothing may be written");

        // -full-db reads the same runs: there is no completed-runs.db beside a database of run files.
        var full = await Megatest(area, "-list-runs", "%", "-target", "%", "-full-db");
        Assert.Contains("r1", full.Stdout, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> Megatest(string area, params string[] args)
    {
        var result = await MegatestProcess.RunAsync(area, s_timeout, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Every row of the run tables, every column, in id order.</summary>
    private static List<string> Dump(string path)
    {
        using var db = new AreaDb(path);
        var rows = new List<string>();
        foreach (var table in s_runTables)
        {
            rows.AddRange(db.Query($"SELECT * FROM {table} ORDER BY id").Select(r => table + ": " + string.Join(" | ", r.Select(v => v?.ToString() ?? "NULL"))));
        }

        Assert.NotEmpty(rows);
        return rows;
    }
}
