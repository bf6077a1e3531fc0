using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>
/// Run management that changes rows (SPEC §6.7, §6.8, §7.1): -set-state-status, -lock, -unlock,
/// -set-run-status, -mark-incompletes, -update-meta, and the standalone -run-wait. Selections are read from
/// the database; every change goes to the db writer as a status packet.
/// </summary>
public static class RunManagementCommands
{
    /// <summary>Default [setup] deadtime in seconds.</summary>
    public const long DefaultDeadTime = 7200;

    /// <summary>True when the arguments ask for one of these commands.</summary>
    public static bool Applies(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return !args.Has("-run") && (args.Has("-set-state-status") || args.Has("-lock") || args.Has("-unlock") || args.Has("-set-run-status")
            || args.Has("-mark-incompletes") || args.Has("-update-meta") || args.Has("-run-wait"));
    }

    /// <summary>Runs the command.</summary>
    public static int Execute(CliArgs args, TextReader input, TextWriter output, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), null, EnvironmentScope.FromProcess());
        if (args.Has("-update-meta"))
        {
            return UpdateMeta(area, output, logs);
        }

        if (!File.Exists(area.DatabasePath))
        {
            throw new UsageException($"no database yet: {area.DatabasePath} does not exist");
        }

        if (args.Has("-run-wait"))
        {
            return RunWait(args, area, output);
        }

        if (args.Has("-mark-incompletes"))
        {
            return MarkIncompletes(area, output, logs);
        }

        var target = args.Get("-target") ?? throw new UsageException("this command needs -target (a pattern; % for all)");
        var runName = args.Get("-runname") ?? throw new UsageException("this command needs -runname (a pattern; % for all)", 2);
        List<RunRow> runs;
        using (var db = MegatestQueries.Open(area.DatabasePath))
        {
            runs = [.. db.Runs(target, runName)];
        }

        if (args.Has("-unlock"))
        {
            output.Write($"Unlock {runs.Count} run(s)? [y/n] ");
            if (input.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
            {
                output.WriteLine("not unlocked");
                return 1;
            }
        }

        using var link = DbWriterLink.Open(area, logs);
        if (args.Has("-lock") || args.Has("-unlock") || args.Has("-set-run-status"))
        {
            foreach (var run in runs)
            {
                var state = args.Has("-lock") ? "locked" : args.Has("-unlock") ? "unlocked" : null;
                link.Send(new UpdateRun { RunId = run.Id, State = state, Status = args.Get("-set-run-status"), Comment = args.Get("-m") });
            }

            output.WriteLine($"updated {runs.Count} run(s)");
            return 0;
        }

        var pair = args.Get("-set-state-status")!.Split(',', 2);
        if (pair.Length != 2 || pair[0].Trim().Length == 0 || pair[1].Trim().Length == 0)
        {
            throw new UsageException("-set-state-status needs STATE,STATUS");
        }

        var pattern = TestPattern.Parse(args.Get("-testpatt") ?? throw new UsageException("-set-state-status needs -testpatt (% for all)", 3));
        var states = Set(args.Get("-state"));
        var statuses = Set(args.Get("-status"));
        var changed = 0;
        using (var db = MegatestQueries.Open(area.DatabasePath))
        {
            foreach (var run in runs.Where(r => r.State != "locked"))
            {
                foreach (var t in db.Tests(run.Id).Where(t => pattern.Matches(t.TestName, t.ItemPath)
                    && (states is null || states.Contains(t.State)) && (statuses is null || statuses.Contains(t.Status))))
                {
                    link.Send(new StatusChange { TestId = t.Id, State = pair[0].Trim(), Status = pair[1].Trim(), Comment = args.Get("-m") });
                    changed++;
                }
            }
        }

        output.WriteLine($"set {changed} test(s) to {pair[0].Trim()}/{pair[1].Trim()}");
        return 0;
    }

    private static int MarkIncompletes(AreaConfig area, TextWriter output, ILoggerFactory logs)
    {
        var deadtime = long.TryParse(area.Megatest.Get("setup", "deadtime")?.Trim(), out var d) ? d : DefaultDeadTime;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        List<TestRow> dead;
        using (var db = MegatestQueries.Open(area.DatabasePath))
        {
            dead = db.TestsInStates([States.Running, States.RemoteHostStart, States.Launched])
                .Where(t => !(t.Uname == "n/a" && t.ItemPath.Length == 0))
                .Where(t => t.State == States.Launched ? now - t.EventTime > 86400 : now - t.EventTime > t.RunDuration + deadtime)
                .ToList();
        }

        using var link = DbWriterLink.Open(area, logs);
        foreach (var t in dead)
        {
            link.Send(new StatusChange { TestId = t.Id, State = States.Completed, Status = Statuses.Dead, Comment = "Test failed to complete" });
        }

        output.WriteLine($"marked {dead.Count} test(s) COMPLETED/DEAD");
        return 0;
    }

    private static int UpdateMeta(AreaConfig area, TextWriter output, ILoggerFactory logs)
    {
        using var link = DbWriterLink.Open(area, logs);
        var count = 0;
        foreach (var name in area.AllTestNames())
        {
            var tc = area.ReadTestConfig(name, area.Environment.Clone(), allowShell: false);
            link.Send(new TestMetaUpdate
            {
                TestName = name,
                Author = tc.Get("test_meta", "author"),
                Owner = tc.Get("test_meta", "owner"),
                Description = tc.Get("test_meta", "description"),
                Reviewed = tc.Get("test_meta", "reviewed"),
                Tags = tc.Get("test_meta", "tags"),
                JobGroup = tc.Get("test_meta", "jobgroup"),
            });
            count++;
        }

        output.WriteLine($"updated test_meta of {count} test(s)");
        return 0;
    }

    private static int RunWait(CliArgs args, AreaConfig area, TextWriter output)
    {
        var pattern = TestPattern.Parse(args.Get("-testpatt") ?? "%");
        var states = Set(args.Get("-state")) ?? [States.Running, States.RemoteHostStart, States.Launched];
        using var db = MegatestQueries.Open(area.DatabasePath);
        while (true)
        {
            var waiting = db.Runs(args.Get("-target") ?? "%", args.Get("-runname") ?? "%")
                .Sum(r => db.Tests(r.Id).Count(t => pattern.Matches(t.TestName, t.ItemPath) && states.Contains(t.State)));
            if (waiting == 0)
            {
                output.WriteLine("nothing left running");
                return 0;
            }

            // Megatest polls here too (every 10 s); the database is the only place that knows.
            Thread.Sleep(TimeSpan.FromSeconds(1));
        }
    }

    private static HashSet<string>? Set(string? list) =>
        list is null ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
