using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megatest.Config;
using Megatest.Core;
using Megatest.Storage;

namespace Megatest.Cli;

/// <summary>The read-only commands: -list-runs, -list-targets, -list-db-targets, -show-keys, -show-config, -show-runconfig.</summary>
public static class QueryCommands
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>-list-runs PATT [-target T] [-testpatt P] [-state S] [-status X] [-dumpmode json].</summary>
    public static int ListRuns(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = LoadArea(null);
        var dbPath = area.DatabasePath;
        if (!File.Exists(dbPath))
        {
            throw new UsageException($"no database yet: {dbPath} does not exist (run something first)");
        }

        using var db = MegatestQueries.Open(dbPath, args.Has("-full-db"));
        var pattern = TestPattern.Parse(args.Get("-testpatt") ?? "%");
        var states = Set(args.Get("-state"));
        var statuses = Set(args.Get("-status"));
        var json = new JsonArray();
        foreach (var run in db.Runs(args.Get("-target") ?? "%", args.Get("-list-runs") ?? "%"))
        {
            var tests = db.Tests(run.Id)
                .Where(t => pattern.Matches(t.TestName, t.ItemPath))
                .Where(t => states is null || states.Contains(t.State))
                .Where(t => statuses is null || statuses.Contains(t.Status))
                .ToList();
            if (args.Get("-dumpmode") == "json")
            {
                var jtests = new JsonArray();
                foreach (var t in tests)
                {
                    jtests.Add(new JsonObject
                    {
                        ["id"] = t.Id,
                        ["testname"] = t.TestName,
                        ["item_path"] = t.ItemPath,
                        ["state"] = t.State,
                        ["status"] = t.Status,
                        ["comment"] = t.Comment,
                        ["run_duration"] = t.RunDuration,
                        ["event_time"] = t.EventTime,
                        ["host"] = t.Host,
                        ["rundir"] = t.RunDir,
                    });
                }

                json.Add(new JsonObject
                {
                    ["id"] = run.Id,
                    ["target"] = run.Target,
                    ["runname"] = run.RunName,
                    ["state"] = run.State,
                    ["status"] = run.Status,
                    ["owner"] = run.Owner,
                    ["event_time"] = run.EventTime,
                    ["tests"] = jtests,
                });
                continue;
            }

            output.WriteLine($"Run: {run.Target}/{run.RunName} status: {run.State}/{run.Status} id: {run.Id}");
            foreach (var t in tests)
            {
                var name = t.ItemPath.Length > 0 ? $"{t.TestName}({t.ItemPath})" : t.TestName;
                var time = DateTimeOffset.FromUnixTimeSeconds(t.EventTime).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                output.WriteLine($"  Test: {name,-30} State: {t.State,-12} Status: {t.Status,-14} Runtime: {t.RunDuration,5:0}s Time: {time} Host: {t.Host}");
                if (t.Status is not ("PASS" or "WARN" or "n/a") && t.State != "NOT_STARTED")
                {
                    output.WriteLine($"      comment: {t.Comment}  rundir: {t.RunDir}");
                    foreach (var s in db.Steps(t.Id))
                    {
                        output.WriteLine($"      step: {s.StepName,-20} {s.State,-6} {s.Status,-6} {s.Comment}");
                    }
                }
            }
        }

        if (args.Get("-dumpmode") == "json")
        {
            output.WriteLine(json.ToJsonString(s_json));
        }

        return 0;
    }

    /// <summary>-list-targets: section names of runconfigs.config (filtered by -target pattern).</summary>
    public static int ListTargets(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = LoadArea(null);
        var path = Path.Combine(area.TopPath, "runconfigs.config");
        var sections = File.Exists(path)
            ? AreaConfig.ReadRunConfigs(path, null, area.Environment.Clone()).SectionNames.Where(s => s != "default")
            : [];
        var filter = args.Get("-target");
        var list = sections.Where(s => filter is null || NamePattern.Parse(filter).IsMatch(s)).Order(StringComparer.Ordinal).ToList();
        Print(args, output, list);
        return 0;
    }

    /// <summary>-list-db-targets: distinct targets in the database.</summary>
    public static int ListDbTargets(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        var area = LoadArea(null);
        using var db = MegatestQueries.Open(area.DatabasePath, args.Has("-full-db"));
        Print(args, output, db.DistinctTargets());
        return 0;
    }

    /// <summary>-show-keys.</summary>
    public static int ShowKeys(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        Print(args, output, LoadArea(null).Keys);
        return 0;
    }

    /// <summary>-list-disks: [disks] as "name => path".</summary>
    public static int ListDisks(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (name, path) in LoadArea(args.Get("-target")).Megatest.Section("disks"))
        {
            output.WriteLine($"{name} => {path}");
        }

        return 0;
    }

    /// <summary>-show-config / -show-runconfig with -section/-var and -dumpmode ini|json.</summary>
    public static int ShowConfig(CliArgs args, TextWriter output, bool runconfig)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = LoadArea(args.Get("-target") ?? args.Get("-reqtarg"));
        var data = runconfig ? area.RunConfigs : area.Megatest;
        var section = args.Get("-section");
        var variable = args.Get("-var");
        if (section is not null && variable is not null)
        {
            var value = data.Get(section, variable) ?? (runconfig ? data.Get("default", variable) : null);
            if (value is null)
            {
                throw new UsageException($"[{section}] {variable} is not set in {(runconfig ? "runconfigs.config" : area.FileName)}");
            }

            output.WriteLine(value);
            return 0;
        }

        var sections = section is null ? data.SectionNames : data.SectionNames.Where(s => s == section);
        if (args.Get("-dumpmode") == "json")
        {
            var root = new JsonObject();
            foreach (var s in sections)
            {
                var obj = new JsonObject();
                foreach (var (k, v) in data.Section(s))
                {
                    obj[k] = v;
                }

                root[s] = obj;
            }

            output.WriteLine(root.ToJsonString(s_json));
            return 0;
        }

        if (section is null)
        {
            output.Write(data.ToIniText());
            return 0;
        }

        foreach (var s in sections)
        {
            output.WriteLine($"[{s}]");
            foreach (var (k, v) in data.Section(s))
            {
                output.WriteLine(v.Length == 0 ? k : $"{k} {v.Replace("\n", "\n  ", StringComparison.Ordinal)}");
            }

            output.WriteLine();
        }

        return 0;
    }

    private static void Print(CliArgs args, TextWriter output, IEnumerable<string> lines)
    {
        if (args.Get("-dumpmode") == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(lines.ToArray(), s_json));
            return;
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }

    private static HashSet<string>? Set(string? list) =>
        list is null ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static AreaConfig LoadArea(string? target) =>
        AreaConfig.Load(Directory.GetCurrentDirectory(), target, EnvironmentScope.FromProcess());
}
