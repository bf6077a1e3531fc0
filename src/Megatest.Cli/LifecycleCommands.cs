using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>
/// Keeping megatest.db small: <c>-reduce-records</c> and <c>-restore-records</c> move finished runs to and from the
/// completed-runs.db beside it (RFC M02); <c>-destination AREA|PATH</c> copies finished runs to another area with the
/// same keys and marks them MOVED here (RFC M01; <c>[setup] auto-migrate</c> does so after each run). Every change goes
/// through the db writer of the database it changes.
/// </summary>
public static class LifecycleCommands
{
    /// <summary>runs.state of a run whose records were copied to another area.</summary>
    public const string MovedState = "MOVED";

    /// <summary>True when the arguments ask for one of these commands.</summary>
    public static bool Applies(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return !args.Has("-run") && (args.Has("-reduce-records") || args.Has("-restore-records") || args.Has("-destination"));
    }

    /// <summary>Runs the command; 0 when it was carried out.</summary>
    public static int Execute(CliArgs args, TextWriter output, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), null, EnvironmentScope.FromProcess());
        var target = args.Get("-target") ?? "%";
        var runName = args.Get("-runname") ?? "%";
        if (args.Get("-destination") is { } destination)
        {
            var moved = MoveToArea(area, destination, target, runName, output, logs);
            output.WriteLine($"moved {moved} runs to {destination}");
            return 0;
        }

        var reduce = args.Has("-reduce-records");
        RefuseWithPerRunFiles(area, reduce ? "-reduce-records" : "-restore-records");
        var from = reduce ? area.DatabasePath : MegatestDatabase.CompletedRunsPath(area.DatabasePath);
        if (!File.Exists(from))
        {
            throw new UsageException($"nothing to move: {from} does not exist");
        }

        List<RunRow> runs;
        using (var db = MegatestQueries.Open(from))
        {
            runs = [.. db.Runs(target, runName)];
        }

        using var link = DbWriterLink.Open(area, logs);
        var ack = (Ack)link.Send(new MoveRecords { RunIds = [.. runs.Select(r => r.Id)], ToCompleted = reduce });
        var stayed = ack.Error.Length == 0 ? [] : ack.Error.Split("; ");
        foreach (var line in stayed)
        {
            output.WriteLine(line);
        }

        output.WriteLine($"moved {runs.Count - stayed.Length} runs {(reduce ? "to" : "from")} {MegatestDatabase.CompletedRunsFileName}");
        return 0;
    }

    /// <summary>
    /// With <c>[db] api new</c> a run's records are a file of their own and megatest.db holds only the runs rows, so there
    /// is nothing for completed-runs.db to take: the command is refused before anything is asked of the db writer.
    /// </summary>
    private static void RefuseWithPerRunFiles(AreaConfig area, string verb)
    {
        if (!area.PerRunDatabases)
        {
            return;
        }

        var loc = area.Megatest.LocationOf("db", "api");
        var runFiles = Path.Combine(Path.GetFileName(RunFiles.Directory(area.DatabasePath)), "RUNID.db");
        throw new UsageException(
            $"{verb}: not needed with [db] api new ({loc?.File ?? area.FileName}:{loc?.Line ?? 0}): each run's records are " +
            $"already a file of their own ({runFiles} beside {Path.GetFileName(area.DatabasePath)}), which can be moved or removed with its run");
    }

    /// <summary>
    /// [setup] auto-migrate AREA|PATH: after a run ends, copies it to that area when it is finished. Problems are warnings:
    /// the run itself was carried out.
    /// </summary>
    public static void AutoMigrate(AreaConfig area, string target, string runName, TextWriter errors, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(errors);
        if (area.Megatest.Get("setup", "auto-migrate")?.Trim() is not { Length: > 0 } destination)
        {
            return;
        }

        try
        {
            var moved = MoveToArea(area, destination, target, runName, errors, logs);
            errors.WriteLine($"auto-migrate: moved {moved} runs to {destination}");
        }
        catch (Exception ex) when (ex is UsageException or ConfigException or AreaNotFoundException or StorageException or TargetException)
        {
            errors.WriteLine($"WARNING: auto-migrate to {destination}: {ex.Message}");
        }
    }

    private static int MoveToArea(AreaConfig area, string destination, string target, string runName, TextWriter output, ILoggerFactory logs)
    {
        var other = AreaConfig.Load(DestinationPath(area, destination), null, EnvironmentScope.FromProcess());
        if (Path.GetFullPath(other.DatabasePath) == Path.GetFullPath(area.DatabasePath))
        {
            throw new UsageException($"-destination {destination} is this area");
        }

        if (!other.Keys.SequenceEqual(area.Keys))
        {
            throw new UsageException($"-destination {destination} has the keys {string.Join("/", other.Keys)}; this area has {string.Join("/", area.Keys)}");
        }

        if (!File.Exists(area.DatabasePath))
        {
            throw new UsageException($"nothing to move: {area.DatabasePath} does not exist");
        }

        List<RunRow> finished = [];
        string bundle;
        using (var db = MegatestQueries.Open(area.DatabasePath))
        {
            foreach (var run in db.Runs(target, runName))
            {
                if (run.State == MovedState)
                {
                    continue;
                }

                if (db.Tests(run.Id).FirstOrDefault(t => !Finished(t)) is { } busy)
                {
                    output.WriteLine($"run {run.Target}/{run.RunName} stays: {busy.TestName} is {busy.State}/{busy.Status}");
                    continue;
                }

                finished.Add(run);
            }

            bundle = db.ExportRuns([.. finished.Select(r => r.Id)]);
        }

        if (finished.Count == 0)
        {
            return 0;
        }

        // Copied there first, marked here second: a failure in between leaves the run in both areas, never in neither.
        using (var there = DbWriterLink.Open(other, logs))
        {
            there.Send(new ImportRuns { Bundle = bundle });
        }

        using var here = DbWriterLink.Open(area, logs);
        foreach (var run in finished)
        {
            here.Send(new UpdateRun { RunId = run.Id, State = MovedState, Comment = "moved to " + other.TopPath });
            output.WriteLine($"run {run.Target}/{run.RunName} copied to {other.TopPath} and marked {MovedState} here");
        }

        return finished.Count;
    }

    /// <summary>An [areas] name of megatest.config (<c>NAME path=DIR</c> or <c>NAME DIR</c>), else a directory.</summary>
    private static string DestinationPath(AreaConfig area, string destination)
    {
        if (area.Megatest.Get("areas", destination)?.Trim() is { Length: > 0 } entry)
        {
            var path = entry.Split(';', StringSplitOptions.TrimEntries).Select(p => p.StartsWith("path=", StringComparison.Ordinal) ? p[5..] : p)
                .FirstOrDefault(p => !p.Contains('=', StringComparison.Ordinal)) ?? entry;
            return Path.GetFullPath(Path.Combine(area.TopPath, path));
        }

        var full = Path.GetFullPath(destination);
        return Directory.Exists(full)
            ? full
            : throw new UsageException($"-destination {destination}: neither an [areas] name in megatest.config nor a directory");
    }

    private static bool Finished(TestRow test) =>
        !States.IsRunning(test.State) && test.State is not (States.KillReq or States.Removing or States.Cleaning or States.ArchiveRemoving)
        && !(test.State == States.NotStarted && test.Status is "n/a" or "" or "KEEP_TRYING");
}
