using System.Diagnostics;
using System.Globalization;
using System.Text;
using Megatest.Core;
using Megatest.Storage;
using Megatest.Testing;
using Microsoft.Data.Sqlite;

namespace Megatest.Integration.Tests;

/// <summary>
/// Issue #9: <c>-list-runs</c> reads the legacy layout through SQLite's C API and writes UTF-8 bytes. Its output must
/// stay byte for byte what the listing printed before, which <see cref="Reference"/> keeps: the former formatting
/// over <see cref="MegatestQueries"/>. Each case runs the real executable on an area with several runs, names past
/// the padding widths, item paths, non-ASCII and malformed UTF-8 text, NULL columns, failed tests with steps.
/// </summary>
public sealed class ListRunsOutputTests : IClassFixture<ListRunsOutputTests.Areas>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);
    private readonly Areas _areas;

    public ListRunsOutputTests(Areas areas)
    {
        _areas = areas;
    }

    /// <summary>The options -list-runs supports, one case each (JSON is covered by ExampleTests).</summary>
    public static TheoryData<string[]> Options() => new(
        ["%", "-target", "%"],
        ["r1", "-target", "linux/1.0"],
        ["r%", "-target", "linux/%"],
        ["r1*"],
        ["%", "-target", "linux"],
        ["%", "-target", "linux/1.0/extra"],
        ["nosuch", "-target", "%"],
        ["%", "-target", "%", "-testpatt", "a%,~a_very%"],
        ["%", "-target", "%", "-testpatt", "items/x/2"],
        ["%", "-target", "%", "-testpatt", "%/~x/1"],
        ["%", "-target", "%", "-state", "COMPLETED"],
        ["%", "-target", "%", "-status", "FAIL,ABORT"],
        ["%", "-target", "%", "-state", "COMPLETED,RUNNING", "-status", "FAIL,n/a,WARN"]);

    [Theory]
    [MemberData(nameof(Options))]
    public async Task ListRuns_PrintsTheReferenceBytes_ForEachOption(string[] options)
    {
        await AssertSameAsReferenceAsync(_areas.Legacy, options);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public async Task ListRuns_PrintsTheReferenceBytes_WithPerRunDatabases(string[] options)
    {
        await AssertSameAsReferenceAsync(_areas.PerRun, options);
    }

    [Fact]
    public async Task ListRuns_Corpus_HasTheCasesTheFormattingMustKeep()
    {
        var (_, stdout, _) = await RunAsync(_areas.Legacy, ["-list-runs", "%", "-target", "%"]);
        var text = Encoding.UTF8.GetString(stdout);
        Assert.Equal(4, text.Split('\n').Count(l => l.StartsWith("Run: ", StringComparison.Ordinal)));
        foreach (var piece in new[] { "\uFFFD", "ünïcode(日本)", "step: a_step_name_longer_than_twenty", "Host: 42", "Runtime:    -0s", "Runtime: 100000s", "Runtime:     8s" })
        {
            Assert.Contains(piece, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListRuns_PrintsTheReferenceBytes_WithFullDb()
    {
        await AssertSameAsReferenceAsync(_areas.Legacy, ["%", "-target", "%", "-full-db"]);
    }

    [Fact]
    public async Task ListRuns_ReportsTheSchema_WhenTheDatabaseIsNotMegatests()
    {
        using var tmp = new TempDir("listruns-bad");
        File.WriteAllText(Path.Combine(tmp.Path, "megatest.config"), "[fields]\nSYS TEXT\n");
        foreach (var (version, message) in new[] { (0, "has no Megatest for .NET schema"), (9999, "has schema version 9999") })
        {
            var db = Path.Combine(tmp.Path, "megatest.db");
            using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"CREATE TABLE IF NOT EXISTS t (x); PRAGMA user_version = {version}";
                command.ExecuteNonQuery();
            }

            var (exit, stdout, stderr) = await RunAsync(tmp.Path, ["-list-runs", "%"]);
            Assert.NotEqual(0, exit);
            Assert.Empty(stdout);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
        }
    }

    private static async Task AssertSameAsReferenceAsync(string area, string[] options)
    {
        var expected = Reference(Path.Combine(area, "megatest.db"), options);
        var (exit, stdout, stderr) = await RunAsync(area, ["-list-runs", .. options]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(expected, Encoding.UTF8.GetString(stdout));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), stdout);
    }

    // The listing as QueryCommands.ListRuns formatted it before issue #9 (kept here as the oracle, not shared with it).
    private static string Reference(string dbPath, string[] options)
    {
        string? Get(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
        static HashSet<string>? Set(string? list) =>
            list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        using var db = MegatestQueries.Open(dbPath, options.Contains("-full-db"));
        var pattern = TestPattern.Parse(Get("-testpatt") ?? "%");
        var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var run in db.Runs(Get("-target") ?? "%", options[0]))
        {
            var tests = db.ListTests(run.Id, Set(Get("-state")), Set(Get("-status"))).Where(t => pattern.Matches(t.TestName, t.ItemPath)).ToList();
            text.WriteLine($"Run: {run.Target}/{run.RunName} status: {run.State}/{run.Status} id: {run.Id}");
            foreach (var t in tests)
            {
                var name = t.ItemPath.Length > 0 ? $"{t.TestName}({t.ItemPath})" : t.TestName;
                var time = DateTimeOffset.FromUnixTimeSeconds(t.EventTime).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                text.WriteLine($"  Test: {name,-30} State: {t.State,-12} Status: {t.Status,-14} Runtime: {t.RunDuration,5:0}s Time: {time} Host: {t.Host}");
                if (t.Status is not ("PASS" or "WARN" or "n/a") && t.State != "NOT_STARTED")
                {
                    text.WriteLine($"      comment: {t.Comment}  rundir: {t.RunDir}");
                    foreach (var s in db.Steps(t.Id))
                    {
                        text.WriteLine($"      step: {s.StepName,-20} {s.State,-6} {s.Status,-6} {s.Comment}");
                    }
                }
            }
        }

        return text.ToString();
    }

    // The real executable, its standard output as the bytes it wrote.
    private static async Task<(int Exit, byte[] Stdout, string Stderr)> RunAsync(string area, string[] args)
    {
        var psi = MegatestProcess.StartInfo(MegatestProcess.Executable, area, null, args);
        psi.RedirectStandardInput = false;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName);
        using var cts = new CancellationTokenSource(s_timeout);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        using var stdout = new MemoryStream();
        await p.StandardOutput.BaseStream.CopyToAsync(stdout, cts.Token);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, stdout.ToArray(), await stderr);
    }

    /// <summary>Two areas with the same runs and tests: one database file (legacy), and one file per run.</summary>
    public sealed class Areas : IDisposable
    {
        private static readonly string[] s_keys = ["SYS", "REL"];
        private readonly TempDir _tmp = new("listruns");

        public Areas()
        {
            Legacy = Create("legacy", DatabaseLayout.Legacy);
            PerRun = Create("perrun", DatabaseLayout.PerRun);
            // Values a script or an older client may leave: NULLs, malformed UTF-8 (shown as U+FFFD), a number as host.
            using var connection = new SqliteConnection($"Data Source={Path.Combine(Legacy, "megatest.db")};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "UPDATE tests SET host = NULL, comment = NULL, run_duration = NULL, event_time = NULL, rundir = NULL WHERE testname = 'ns';" +
                "UPDATE tests SET testname = 'bad' || CAST(x'c3' AS TEXT), rundir = CAST(x'41ff42' AS TEXT), host = 42 WHERE testname = 't1b';" +
                "UPDATE tests SET run_duration = '7.5' WHERE testname = 'a';";
            command.ExecuteNonQuery();
        }

        public string Legacy { get; }

        public string PerRun { get; }

        public void Dispose() => _tmp.Dispose();

        private string Create(string name, DatabaseLayout layout)
        {
            var area = Path.Combine(_tmp.Path, name);
            Directory.CreateDirectory(area);
            File.WriteAllText(Path.Combine(area, "megatest.config"),
                "[fields]\nSYS TEXT\nREL TEXT\n" + (layout == DatabaseLayout.PerRun ? "\n[db]\napi new\n" : ""));
            const long t0 = 1_764_000_000;
            using var db = MegatestDatabase.Open(Path.Combine(area, "megatest.db"), s_keys, layout);
            using var batch = db.BeginBatch();
            foreach (var (run, target) in new[] { ("r1", "linux/1.0"), ("r2", "linux/2.0"), ("r10", "mac/1.0"), ("rü", "linux/1.0") })
            {
                var runId = batch.EnsureRun(target.Split('/'), run, "tester", t0, out _);
                Test(batch, runId, "a", "", "COMPLETED", "PASS", null, 12, []);
                Test(batch, runId, "a_very_long_test_name_over_thirty_chars", "", "COMPLETED", "FAIL", "it failed", 2.5,
                    [new StepRecord("build", "END", "PASS", t0, "ok", null), new StepRecord("a_step_name_longer_than_twenty", "END", "FAIL", t0 + 3, null, "log")]);
                Test(batch, runId, "items", "x/1", "RUNNING", "n/a", null, 0, []);
                Test(batch, runId, "items", "x/2", "COMPLETED", "ABORT", "ä ü", -0.4, []);
                Test(batch, runId, "ünïcode", "日本", "COMPLETED", "WARN", null, 99999.5, []);
                Test(batch, runId, "ns", "", "NOT_STARTED", "FAIL", "never ran", 0, []);
                Test(batch, runId, "t1b", "", "COMPLETED", "FAIL", "", 0.5, [new StepRecord("s", "START", "", t0 + 9, "", "")]);
            }

            batch.Commit();
            return area;

            static void Test(WriteBatch batch, long runId, string test, string item, string state, string status, string? comment, double duration, StepRecord[] steps)
            {
                var row = batch.RegisterTest(runId, test, item, t0);
                batch.UpdateTest(row.Id, new TestUpdate
                {
                    State = state,
                    Status = status,
                    Comment = comment,
                    Host = "host-" + test.Length.ToString(CultureInfo.InvariantCulture),
                    RunDir = $"/runs/{runId}/{test}/{item}",
                    EventTime = t0 + (runId * 7919 % 86400) + test.Length,
                    RunDuration = duration,
                }, t0);
                foreach (var step in steps)
                {
                    batch.RecordStep(row.Id, step);
                }
            }
        }
    }
}
