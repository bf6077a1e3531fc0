using System.Globalization;
using Megatest.Integration.Tests;
using Megatest.Testing;

namespace Megatest.Slurm.Tests;

/// <summary>
/// The Slurm launcher (README "Slurm") against the single-node Slurm of tools/slurm/start-slurm.sh: the
/// corpus area dep-tests through agent jobs and through one job per test, a test killed from the CLI whose
/// job leaves the queue, and an agent job cancelled with scancel in the middle of a run that still completes.
/// </summary>
public sealed class SlurmLauncherTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private readonly TempDir _tmp = new("slurm");

    public SlurmLauncherTests() => SlurmCluster.Require();

    public void Dispose() => _tmp.Dispose();

    private string SlurmConfig(string mode, int maxJobs, int slots, int idleExit) =>
        $"\n[jobtools]\nlauncher slurm\n\n[slurm]\nmode {mode}\npartition debug\ntime-limit 10\nmax-agent-jobs {maxJobs}\nslots {slots}\n"
        + $"idle-exit {idleExit}\noutput {_tmp.Path}/slurm-%j.out\n";

    [Theory]
    [InlineData("agent-jobs")]
    [InlineData("job-per-test")]
    public async Task DepTests_BothTargets_EveryTestItemAndToplevelPasses(string mode)
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "dep-tests"), "dep-tests");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "runs"));
        File.AppendAllText(Path.Combine(area, "megatest.config"), SlurmConfig(mode, mode == "agent-jobs" ? 2 : 16, 4, 20));

        foreach (var target in new[] { "std/0", "simple/0" })
        {
            var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", target, "-runname", "r1", "-testpatt", "%");
            Assert.True(result.ExitCode == 0, result + SlurmCluster.JobLogs(_tmp.Path));
            Assert.Contains("All tests launched and finished.", result.Stdout, StringComparison.Ordinal);
        }

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var jobs = new HashSet<string>();
        foreach (var deps in new[] { "std", "simple" })
        {
            var tests = db.Tests("r1", "DEPS", deps);
            Assert.Equal(20, tests.Count);
            Assert.All(tests, t => Assert.True(t.Value.State == "COMPLETED" && t.Value.Status == "PASS", $"{deps} {t.Key}: {t.Value}" + SlurmCluster.JobLogs(_tmp.Path)));

            // Every launched test (all but the toplevels of itemized tests) ran in a Slurm job, recorded as test_data slurm/jobid
            // (one row a test: the job of its last attempt).
            var rows = db.Query(
                "SELECT t.testname, t.item_path, d.value FROM tests t JOIN runs r ON r.id = t.run_id JOIN test_data d ON d.test_id = t.id AND d.category = 'slurm' AND d.variable = 'jobid' WHERE r.DEPS = $d",
                ("$d", deps));
            var perTest = rows.GroupBy(r => ((string)r[0]!, (string)r[1]!)).ToDictionary(g => g.Key, g => g.Select(r => Convert.ToString(r[2], CultureInfo.InvariantCulture)!).ToList());
            Assert.Equal(17, perTest.Count);
            jobs.UnionWith(perTest.Values.SelectMany(v => v));
            if (mode == "job-per-test")
            {
                Assert.All(perTest.Values, ids => Assert.Single(ids));
                Assert.Equal(17, perTest.Values.Select(v => v[0]).Distinct().Count());
            }
        }

        if (mode == "agent-jobs")
        {
            // Two agent jobs at most per run, each running many tests.
            Assert.InRange(jobs.Count, 1, 8);
        }

        // The run is over: its jobs ended or were cancelled.
        await SlurmCluster.WaitGoneAsync(jobs, TimeSpan.FromSeconds(30), "after the runs");
    }

    [Fact]
    public async Task KillRuns_OneJobPerTest_TheTestEndsKilledAndItsJobLeavesTheQueue()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), SlurmConfig("job-per-test", 4, 1, 60),
            ("sleeper", [("testconfig", "[ezsteps]\nnap sleep 600\n")]));
        using var site = await DaemonSite.StartAsync(area);

        var ack = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "sleepy", "-testpatt", "%", "-no-follow");
        Assert.True(ack.ExitCode == 0, ack.ToString() + site);

        string? job = null;
        await Wait.UntilAsync(() =>
        {
            using var db = new AreaDb(Path.Combine(area, "megatest.db"));
            var running = db.Tests("sleepy").TryGetValue(("sleeper", ""), out var row) && row.State == "RUNNING";
            job = running ? JobIds(db, "sleepy", "sleeper").FirstOrDefault() : null;
            return job is not null;
        }, s_timeout, "sleeper RUNNING with its Slurm job id recorded\n" + site + SlurmCluster.JobLogs(_tmp.Path));
        Assert.Contains(job!, SlurmCluster.ListedJobs());

        var kill = await MegatestProcess.RunAsync(area, s_timeout, "-kill-runs", "-target", "k1", "-runname", "sleepy", "-testpatt", "sleeper");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.Contains("accepted: kill sent for 1 running tests", kill.Stdout, StringComparison.Ordinal);

        await SlurmCluster.WaitGoneAsync([job!], TimeSpan.FromSeconds(60), "after -kill-runs");
        await Wait.UntilAsync(() =>
        {
            using var db = new AreaDb(Path.Combine(area, "megatest.db"));
            return db.Tests("sleepy")[("sleeper", "")] is { State: "KILLED", Status: "KILLED" };
        }, s_timeout, "sleeper KILLED/KILLED in the database\n" + site);
    }

    [Fact]
    public async Task Scancel_AnAgentJobMidRun_TheRunStillCompletes()
    {
        var tests = Enumerable.Range(1, 6).Select(i => ($"t{i}", new[] { ("testconfig", "[ezsteps]\nnap sleep 4\n") })).ToArray();
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), SlurmConfig("agent-jobs", 2, 3, 20), tests);

        var run = MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        var dbPath = Path.Combine(area, "megatest.db");
        string? victim = null;
        await Wait.UntilAsync(() =>
        {
            if (run.IsCompleted || !File.Exists(dbPath))
            {
                return run.IsCompleted;
            }

            try
            {
                using var db = new AreaDb(dbPath);
                var running = db.Tests("r1").Where(t => t.Value.State == "RUNNING").Select(t => t.Key.Test).ToList();
                victim = running.Select(t => JobIds(db, "r1", t).FirstOrDefault()).FirstOrDefault(j => j is not null);
                return victim is not null;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return false; // the db writer is still creating the schema
            }
        }, s_timeout, "a test RUNNING in an agent job" + SlurmCluster.JobLogs(_tmp.Path));
        if (run.IsCompleted)
        {
            Assert.Fail("the run ended before an agent job could be cancelled: " + await run);
        }

        List<string> hit;
        using (var db = new AreaDb(dbPath))
        {
            hit = [.. db.Tests("r1").Keys.Select(k => k.Test).Where(t => JobIds(db, "r1", t).Contains(victim!))];
        }

        SlurmCluster.Cancel(victim!);
        var result = await run;
        Assert.True(result.ExitCode == 0, result + SlurmCluster.JobLogs(_tmp.Path));
        Assert.Contains("All tests launched and finished.", result.Stdout, StringComparison.Ordinal);

        using var after = new AreaDb(dbPath);
        var rows = after.Tests("r1");
        Assert.Equal(6, rows.Count);
        Assert.All(rows, t => Assert.True(t.Value.State == "COMPLETED" && t.Value.Status == "PASS", $"{t.Key}: {t.Value}\n{result}" + SlurmCluster.JobLogs(_tmp.Path)));

        // The tests of the cancelled job ran again in another job (test_data slurm/jobid names the job of the last attempt).
        Assert.NotEmpty(hit);
        Assert.All(hit, t => Assert.DoesNotContain(victim!, JobIds(after, "r1", t)));
    }

    [Fact]
    public async Task HostTypeWithSlurmLauncher_OnlyItsTestsGoToSlurm()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"),
            "[jobtools]\nflexi-launcher yes\n\n[launchers]\nbig% bigq\n\n[host-types]\nbigq slurm\n\n"
            + SlurmConfig("agent-jobs", 1, 2, 20).Replace("[jobtools]\nlauncher slurm\n", "", StringComparison.Ordinal),
            ("big1", [("testconfig", "[ezsteps]\nhello echo big\n")]),
            ("big2", [("testconfig", "[ezsteps]\nhello echo big\n")]),
            ("small", [("testconfig", "[requirements]\nwaiton big1 big2\n\n[ezsteps]\nhello echo small\n")]));

        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        Assert.True(result.ExitCode == 0, result + SlurmCluster.JobLogs(_tmp.Path));
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        Assert.All(db.Tests("r1"), t => Assert.True(t.Value is { State: "COMPLETED", Status: "PASS" }, $"{t.Key}: {t.Value}\n{result}"));
        Assert.Single(JobIds(db, "r1", "big1"));
        Assert.Equal(JobIds(db, "r1", "big1"), JobIds(db, "r1", "big2"));
        // small has no host type: it may run on the embedded local agent or on the Slurm agent, both serve it.
    }

    private static List<string> JobIds(AreaDb db, string runName, string test) =>
        [.. db.Query(
            "SELECT d.value FROM test_data d JOIN tests t ON t.id = d.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = $r AND t.testname = $t AND d.category = 'slurm' AND d.variable = 'jobid' ORDER BY d.id",
            ("$r", runName), ("$t", test)).Select(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)!)];
}
