using System.Diagnostics;
using System.Globalization;
using Megatest.Bench.Common;
using Megatest.Storage;

namespace Megatest.Bench.Scale;

/// <summary>
/// Builds a database of RUNS × TESTS test rows (schema from Megatest.Storage, rows by raw SQL) in an area, then times,
/// alternating N rounds: the sqlite3 shell running the same query as the baseline, the real `megatest -list-runs`
/// for one run, the same for one test, and the query through Megatest.Storage inside a warm process.
/// </summary>
public static class ListRuns
{
    /// <summary>Runs it.</summary>
    public static int Run(string[] args)
    {
        var megatest = args[1];
        var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        var tests = int.Parse(args[3], CultureInfo.InvariantCulture);
        var rounds = int.Parse(args[4], CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("listruns-bench.").FullName;
        try
        {
            var (area, db, list) = MakeArea(work, runs, tests);
            var size = new FileInfo(db).Length;
            var run = list[runs / 2];
            var target = string.Join('/', run.Item2);
            var sql = "SELECT t.id, t.testname, t.item_path, t.state, t.status, t.comment, t.run_duration, t.event_time, t.host, t.rundir " +
                      $"FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = '{run.Item1}' AND r.SYS = 'linux' AND r.REL = '{run.Item2[1]}' ORDER BY t.testname, t.item_path";
            var contenders = new (string Name, string Command, Func<(double Ms, int Lines)> Measure)[]
            {
                ("baseline", $"`sqlite3 megatest.db \"SELECT … FROM tests JOIN runs … WHERE runname = '{run.Item1}' …\"` (same columns, one run)", () => Time("sqlite3", area, db, sql)),
                ("ours", $"`megatest -list-runs {run.Item1} -target {target}` (real CLI, {tests} tests listed)", () => Time(megatest, area, "-list-runs", run.Item1, "-target", target)),
                ("ours, one test", $"`megatest -list-runs {run.Item1} -target {target} -testpatt t000001`", () => Time(megatest, area, "-list-runs", run.Item1, "-target", target, "-testpatt", "t000001")),
                ("ours, in-process", $"MegatestQueries.Open + Runs + Tests(run) in a warm process (no process start-up)", () => InProcess(db, target, run.Item1)),
            };
            var times = contenders.Select(_ => new List<double>()).ToArray();
            var lines = new int[contenders.Length];
            for (var i = 0; i < rounds + 1; i++)
            {
                for (var k = 0; k < contenders.Length; k++)
                {
                    var (ms, n) = contenders[k].Measure();
                    lines[k] = n;
                    if (i > 0)
                    {
                        times[k].Add(ms); // round 0 warms the page cache for every contender alike
                    }
                }
            }

            Console.WriteLine($"- Database: {runs} runs × {tests} tests = {runs * tests} test rows, {Stats.F(size / 1048576.0, "0")} MiB; schema from Megatest.Storage; median of {rounds} alternating rounds after one warm-up round; wall time including process start-up");
            Console.WriteLine();
            Console.WriteLine("| contender | command | median ms | output lines | vs baseline |");
            Console.WriteLine("|---|---|---:|---:|---:|");
            var baseline = Stats.Median(times[0]);
            for (var k = 0; k < contenders.Length; k++)
            {
                Console.WriteLine($"| {contenders[k].Name} | {contenders[k].Command} | {Stats.F(Stats.Median(times[k]), "0.0")} | {lines[k]} | {Stats.Ratio(Stats.Median(times[k]), baseline)} |");
            }

            var ours = Stats.Median(times[1]);
            Console.WriteLine();
            Console.WriteLine($"Goal: queries under 100 ms. `-list-runs` {(ours < 100 ? "**met**" : "**missed**")} ({Stats.F(ours, "0")} ms).");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Makes an area under <paramref name="work"/> whose database holds <paramref name="runs"/> × <paramref name="tests"/> test rows.</summary>
    public static (string Area, string Db, List<(string RunName, string[] KeyValues)> Runs) MakeArea(string work, int runs, int tests)
    {
        var area = Path.Combine(work, "area");
        Directory.CreateDirectory(Path.Combine(area, "tests"));
        File.WriteAllText(Path.Combine(area, "megatest.config"), $"[fields]\nSYS TEXT\nREL TEXT\n\n[disks]\ndisk0 {work}/runs\n");
        File.WriteAllText(Path.Combine(area, "runconfigs.config"), "[default]\n");
        var db = Path.Combine(area, "megatest.db");
        var build = Stopwatch.StartNew();
        var list = Enumerable.Range(0, runs).Select(r => ($"r{r:D3}", new[] { "linux", r % 2 == 0 ? "1.0" : "2.0" })).ToList();
        BenchDb.Create(db, list, tests);
        Console.Error.WriteLine($"  built {runs} x {tests} rows in {build.Elapsed.TotalSeconds:0.0} s");
        return (area, db, list);
    }

    private static (double Ms, int Lines) Time(string exe, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var lines = 0;
        while (p.StandardOutput.ReadLine() is not null)
        {
            lines++;
        }

        p.WaitForExit();
        var ms = clock.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }

        return (ms, lines);
    }

    private static (double Ms, int Lines) InProcess(string db, string target, string runName)
    {
        var clock = Stopwatch.StartNew();
        using var q = MegatestQueries.Open(db);
        var n = 0;
        foreach (var run in q.Runs(target, runName))
        {
            n += q.Tests(run.Id).Count;
        }

        return (clock.Elapsed.TotalMilliseconds, n);
    }
}
