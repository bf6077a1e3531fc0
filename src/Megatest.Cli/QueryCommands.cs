using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Megatest.Config;
using Megatest.Core;
using Megatest.Storage;

namespace Megatest.Cli;

/// <summary>The read-only commands: -list-runs, -list-targets, -list-db-targets, -show-keys, -show-config, -show-runconfig.</summary>
public static class QueryCommands
{
    // Made on first use: a text query does not load System.Text.Json (issue #9).
    private static JsonSerializerOptions? s_json;

    private static JsonSerializerOptions Json => s_json ??= new() { WriteIndented = true };

    /// <summary>-list-runs PATT [-target T] [-testpatt P] [-state S] [-status X] [-dumpmode json] [-full-db].</summary>
    public static int ListRuns(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        // A query needs only the database: megatest.config is read for its place, runconfigs.config is not read.
        var dbPath = AreaConfig.LocateDatabase(Directory.GetCurrentDirectory(), EnvironmentScope.FromProcess());
        if (!File.Exists(dbPath))
        {
            throw new UsageException($"no database yet: {dbPath} does not exist (run something first)");
        }

        var json = args.Get("-dumpmode") == "json";
        if (!json && !args.Has("-full-db") && ListRunsRaw(args, dbPath) is { } text)
        {
            ListRunsText.WriteTo(output, text.Utf8);
            return 0;
        }

        using var db = MegatestQueries.Open(dbPath, args.Has("-full-db"));
        var pattern = TestPattern.Parse(args.Get("-testpatt") ?? "%");
        var states = Set(args.Get("-state"));
        var statuses = Set(args.Get("-status"));
        var runs = db.Runs(args.Get("-target") ?? "%", args.Get("-list-runs") ?? "%");
        if (json)
        {
            output.WriteLine(ListRunsJson(db, runs, pattern, states, statuses).ToJsonString(Json));
            output.Flush();
            return 0;
        }

        var listing = new ListRunsText();
        foreach (var run in runs)
        {
            listing.Run(run);
            foreach (var t in db.ListTests(run.Id, states, statuses).Where(t => pattern.Matches(t.TestName, t.ItemPath)))
            {
                var test = new TestListingText
                {
                    Id = t.Id,
                    TestName = Encoding.UTF8.GetBytes(t.TestName),
                    ItemPath = Encoding.UTF8.GetBytes(t.ItemPath),
                    State = Encoding.UTF8.GetBytes(t.State),
                    Status = Encoding.UTF8.GetBytes(t.Status),
                    Comment = Encoding.UTF8.GetBytes(t.Comment),
                    RunDuration = t.RunDuration,
                    EventTime = t.EventTime,
                    Host = Encoding.UTF8.GetBytes(t.Host),
                    RunDir = Encoding.UTF8.GetBytes(t.RunDir),
                };
                if (listing.Test(in test))
                {
                    foreach (var step in db.Steps(t.Id))
                    {
                        listing.Step(step);
                    }
                }
            }
        }

        ListRunsText.WriteTo(output, listing.Utf8);
        return 0;
    }

    // The text listing read through SQLite's C API (issue #9: a big run listed in a fraction of the time); null when
    // RawListing cannot read this database (per-run layout, an error), and the caller reads it through MegatestQueries,
    // which lists the same or reports the error.
    private static ListRunsText? ListRunsRaw(CliArgs args, string dbPath)
    {
        using var db = RawListing.TryOpen(dbPath);
        if (db is null)
        {
            return null;
        }

        // "%" (the default) lists every test: no pattern to parse or match per row.
        var patternText = args.Get("-testpatt");
        var pattern = patternText is null or "%" ? null : TestPattern.Parse(patternText);
        var states = Set(args.Get("-state"));
        var statuses = Set(args.Get("-status"));
        var runs = db.Runs(args.Get("-target") ?? "%", args.Get("-list-runs") ?? "%");
        if (runs is null)
        {
            return null;
        }

        var listing = new ListRunsText();
        foreach (var run in runs)
        {
            listing.Run(run);
            var listed = db.Tests(run.Id, states, statuses, (in TestListingText test) =>
            {
                if (pattern is not null && !pattern.Matches(Encoding.UTF8.GetString(test.TestName), Encoding.UTF8.GetString(test.ItemPath)))
                {
                    return true;
                }

                if (!listing.Test(in test))
                {
                    return true;
                }

                var steps = db.Steps(test.Id);
                foreach (var step in steps ?? [])
                {
                    listing.Step(step);
                }

                return steps is not null;
            });
            if (!listed)
            {
                return null;
            }
        }

        return listing;
    }

    private static JsonArray ListRunsJson(MegatestQueries db, IReadOnlyList<RunRow> runs, TestPattern pattern, HashSet<string>? states, HashSet<string>? statuses)
    {
        var json = new JsonArray();
        foreach (var run in runs)
        {
            var jtests = new JsonArray();
            foreach (var t in db.ListTests(run.Id, states, statuses).Where(t => pattern.Matches(t.TestName, t.ItemPath)))
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
        }

        return json;
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
        using var db = MegatestQueries.Open(AreaConfig.LocateDatabase(Directory.GetCurrentDirectory(), EnvironmentScope.FromProcess()), args.Has("-full-db"));
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

            output.WriteLine(root.ToJsonString(Json));
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
            output.WriteLine(JsonSerializer.Serialize(lines.ToArray(), Json));
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
