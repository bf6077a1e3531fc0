using System.Globalization;
using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;

namespace Megatest.Scheduling;

/// <summary>
/// Turns a RunRequest into a plan (SPEC §3.3, §6.3 step 1): the effective test pattern, the selected
/// tests plus their waiton closure, each test's mode, items and limits. Every problem is found here,
/// before anything is written, and reported as a <see cref="PlanException"/>.
/// </summary>
public static class RunPlanner
{
    /// <summary>Plans the run; <paramref name="area"/> must have been read for the request's target.</summary>
    public static RunPlan Plan(AreaConfig area, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(request);
        if (string.Equals(area.Megatest.Get("setup", "allow-runs")?.Trim(), "no", StringComparison.OrdinalIgnoreCase))
        {
            throw new PlanException($"this area takes no new runs: [setup] allow-runs no in {Path.Combine(area.TopPath, "megatest.config")}");
        }

        if (request.RequireTargetSection && !area.RunConfigs.HasSection(request.Target))
        {
            throw new PlanException($"-reqtarg: target '{request.Target}' is not a section of {Path.Combine(area.TopPath, "runconfigs.config")}");
        }

        if (string.IsNullOrWhiteSpace(request.RunName))
        {
            throw new PlanException("a run name is required (-runname NAME)");
        }

        var warnings = new List<string>();
        var pattern = TestPattern.Parse(EffectivePattern(area, request));
        var all = area.AllTestNames();
        var known = all.ToHashSet(StringComparer.Ordinal);
        CheckExplicitNames(pattern, known, area);
        var selected = all.Where(pattern.SelectsTest).ToList();
        if (!string.IsNullOrWhiteSpace(request.TagExpr))
        {
            var tags = TestPattern.Parse(request.TagExpr.Replace(' ', ','));
            selected = selected.Where(t => Tags(area, t).Any(tag => tags.SelectsTest(tag))).ToList();
        }

        if (selected.Count == 0)
        {
            throw new PlanException($"no test of {string.Join(", ", area.TestsDirectories)} matches -testpatt '{pattern}'" +
                (string.IsNullOrWhiteSpace(request.TagExpr) ? "" : $" and -tagexpr '{request.TagExpr}'"));
        }

        var configs = new Dictionary<string, ConfigData>(StringComparer.Ordinal);
        var waitons = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var queue = new Queue<string>(selected);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (configs.ContainsKey(name))
            {
                continue;
            }

            var tc = ReadTestConfig(area, name);
            configs[name] = tc;
            var list = new List<string>();
            foreach (var w in (tc.Get("requirements", "waiton") ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (w == name)
                {
                    warnings.Add($"test {name} lists itself in waiton; ignored");
                }
                else if (!known.Contains(w))
                {
                    warnings.Add($"test {name}: waiton '{w}' is not a test of this area; ignored");
                }
                else if (!list.Contains(w))
                {
                    list.Add(w);
                    queue.Enqueue(w);
                }
            }

            waitons[name] = list;
        }

        var graph = new DependencyGraph(waitons);
        var closure = graph.Closure(selected);
        if (graph.FindCycle(closure) is { } cycle)
        {
            var where = cycle[0] is { } first && configs[first].LocationOf("requirements", "waiton") is { } loc ? $" ({loc.File}:{loc.Line})" : "";
            throw new PlanException(DependencyGraph.DescribeCycle(cycle) + where);
        }

        var order = new List<PlannedTest>();
        foreach (var name in graph.TopologicalOrder(closure))
        {
            order.Add(Describe(area, name, configs[name], waitons[name]));
        }

        // Waitons pulled in by the closure run whole: extend the pattern with NAME/% for each.
        var extra = closure.Except(selected, StringComparer.Ordinal).Select(n => n + "/%").ToList();
        var effective = extra.Count == 0 ? pattern : pattern.Union(TestPattern.Parse(string.Join(",", extra)));
        return new RunPlan(request, area, order, effective, warnings);
    }

    private static string EffectivePattern(AreaConfig area, RunRequest request)
    {
        var given = request.TestPatt.Trim();
        if (!string.IsNullOrEmpty(request.ModePatt))
        {
            return RunVar(area, request.Target, request.ModePatt)
                ?? throw new PlanException($"--modepatt {request.ModePatt}: no such variable in runconfigs.config [{request.Target}] or [default]");
        }

        if (given.Length == 0 || given == "%")
        {
            return RunVar(area, request.Target, "TESTPATT") ?? "%";
        }

        return given;
    }

    private static string? RunVar(AreaConfig area, string target, string name) =>
        area.RunConfigs.Get(target, name) ?? area.RunConfigs.Get("default", name);

    private static void CheckExplicitNames(TestPattern pattern, HashSet<string> known, AreaConfig area)
    {
        foreach (var part in pattern.Parts)
        {
            var test = part.Split('/', 2)[0];
            if (test.Length == 0 || test.StartsWith('~') || test.Contains('%', StringComparison.Ordinal) || test.Contains('*', StringComparison.Ordinal))
            {
                continue;
            }

            if (!known.Contains(test))
            {
                throw new PlanException($"unknown test '{test}' in -testpatt: no {test}/testconfig in {string.Join(", ", area.TestsDirectories)}");
            }
        }
    }

    private static ConfigData ReadTestConfig(AreaConfig area, string name)
    {
        try
        {
            return area.ReadTestConfig(name, area.Environment.Clone());
        }
        catch (ConfigException ex)
        {
            throw new PlanException(ex.Message, ex);
        }
    }

    private static IEnumerable<string> Tags(AreaConfig area, string test)
    {
        var tc = area.ReadTestConfig(test, area.Environment.Clone(), allowShell: false);
        return (tc.Get("test_meta", "tags") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static PlannedTest Describe(AreaConfig area, string name, ConfigData tc, IReadOnlyList<string> waitons)
    {
        WaitMode mode;
        try
        {
            mode = WaitModes.Parse(tc.Get("requirements", "mode"));
        }
        catch (ArgumentException ex)
        {
            throw new PlanException(Where(tc, "requirements", "mode") + ex.Message, ex);
        }

        ItemMap map;
        try
        {
            map = ItemMap.Parse(tc.Get("requirements", "itemmap"), tc.Section("itemmap"));
        }
        catch (ArgumentException ex)
        {
            throw new PlanException(Where(tc, "requirements", "itemmap") + ex.Message, ex);
        }

        var priority = int.TryParse(tc.Get("requirements", "priority")?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var items = ItemExpander.Expand(tc.Section("items"), tc.Section("itemstable"));
        if (items?.Select(i => PathSafety.ItemPathProblem(i.Path)).FirstOrDefault(p => p is not null) is { } bad)
        {
            var where = Where(tc, tc.HasSection("items") ? "items" : "itemstable", (tc.Section("items").Count > 0 ? tc.Section("items") : tc.Section("itemstable"))[0].Key);
            throw new PlanException($"{where}test {name}: {bad}; item values become directories and must stay inside the run directory");
        }
        var limit = DurationSpec.ParseSeconds(tc.Get("requirements", "runtimelim") ?? area.Megatest.Get("setup", "runtimelim")) ?? 0;
        var group = tc.Get("test_meta", "jobgroup")?.Trim();
        return new PlannedTest
        {
            Name = name,
            Config = tc,
            Waitons = waitons,
            Mode = mode,
            ItemMap = map,
            Priority = priority,
            Items = items,
            JobGroup = string.IsNullOrEmpty(group) ? null : group,
            RunTimeLimit = limit,
            ReloadItems = () =>
            {
                var again = area.ReadTestConfig(name, area.Environment.Clone());
                return ItemExpander.Expand(again.Section("items"), again.Section("itemstable"));
            },
            ItemReloadsLeft = Reruns(area),
        };
    }

    /// <summary>[setup] reruns: how many more attempts a system failure gets (default 1, like Megatest's one extra pass).</summary>
    public static int Reruns(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return int.TryParse(area.Megatest.Get("setup", "reruns")?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : 1;
    }

    /// <summary>[setup] max_concurrent_jobs when set to a positive number, else null.</summary>
    public static int? MaxConcurrentJobs(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return int.TryParse(area.Megatest.Get("setup", "max_concurrent_jobs")?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    private static string Where(ConfigData tc, string section, string key) =>
        tc.LocationOf(section, key) is { } loc ? $"{loc.File}:{loc.Line}: " : "";
}
