using Megatest.Agent;
using Megatest.Config;
using Megatest.Core;
using Megatest.Storage;

namespace Megatest.Cli.Utilities;

/// <summary>
/// -test-paths and -test-files GLOB: the run directories (link-tree paths, the rundir column) of the tests matching
/// -target, -runname, -testpatt, -state and -status, or the files matching GLOB inside them. Inside a running test
/// (MT_CMDINFO set) the test's own area is used, and -target and -runname default to the test's own run.
/// </summary>
internal static class TestPathsCommand
{
    /// <summary>Values of the rundir column that mean "no run directory" (the schema default and n/a).</summary>
    private static readonly HashSet<string> s_placeholders = new(StringComparer.Ordinal) { "/tmp/badname", "n/a" };

    /// <summary>Runs the query; returns the exit code.</summary>
    public static int Run(CliArgs args, TextWriter output)
    {
        var info = CmdInfo.Decode(Environment.GetEnvironmentVariable("MT_CMDINFO"));
        var start = info is { TopPath.Length: > 0 } ? info.TopPath : Directory.GetCurrentDirectory();
        var area = AreaConfig.Load(start, null, EnvironmentScope.FromProcess());
        var dbPath = area.DatabasePath;
        if (!File.Exists(dbPath))
        {
            throw new UsageException($"no database yet: {dbPath} does not exist (run something first)");
        }

        var target = args.Get("-target") ?? NonEmpty(info?.Target) ?? "%";
        var runName = args.Get("-runname") ?? NonEmpty(info?.RunName) ?? "%";
        var pattern = TestPattern.Parse(args.Get("-testpatt") ?? "%");
        var states = Set(args.Get("-state"));
        var statuses = Set(args.Get("-status"));

        var paths = new List<string>();
        try
        {
            using var db = MegatestQueries.Open(dbPath);
            foreach (var run in db.Runs(target, runName))
            {
                var tests = db.Tests(run.Id);
                var itemized = tests.Where(t => t.ItemPath.Length > 0).Select(t => t.TestName).ToHashSet(StringComparer.Ordinal);
                paths.AddRange(tests
                    .Where(t => pattern.Matches(t.TestName, t.ItemPath))
                    .Where(t => states is null || states.Contains(t.State))
                    .Where(t => statuses is null || statuses.Contains(t.Status))
                    .Select(t => RunDir(t, itemized, area, run.Target, run.RunName))
                    .OfType<string>());
            }
        }
        catch (StorageException ex)
        {
            throw new UsageException(ex.Message);
        }

        if (args.Get("-test-files") is { } glob)
        {
            var fileGlob = FileGlob.Parse(glob);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in paths.Distinct(StringComparer.Ordinal))
            {
                foreach (var file in fileGlob.Find(path).Where(seen.Add))
                {
                    output.WriteLine(file);
                }
            }

            return 0;
        }

        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            output.WriteLine(path);
        }

        return 0;
    }

    /// <summary>
    /// The rundir column; an itemized test's toplevel record that still holds the column default gets its link-tree
    /// path (SPEC §1.2: LINKTREE/TARGET/RUNNAME/TEST). Tests without a run directory yet give null.
    /// </summary>
    private static string? RunDir(Megatest.Storage.TestRow test, HashSet<string> itemized, AreaConfig area, string target, string runName)
    {
        if (test.RunDir.Length > 0 && !s_placeholders.Contains(test.RunDir))
        {
            return test.RunDir;
        }

        return test.ItemPath.Length == 0 && itemized.Contains(test.TestName)
            ? Path.Combine(area.LinkTree, target, runName, test.TestName)
            : null;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static HashSet<string>? Set(string? list) =>
        list is null ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
