using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;

namespace Megatest.Scheduling;

/// <summary>
/// The clean control packet (-remove-runs, SPEC §7.1): selects tests by target, run name and test
/// patterns (and optional state/status lists), removes their run directories and asks the db writer to
/// delete their rows. Locked runs and running tests are left alone. A directory is removed only when it
/// lies inside the area's link tree or one of its [disks], so a stored path can never make it delete
/// anything else.
/// </summary>
public static class RunCleaner
{
    /// <summary>What to delete: per run, the rows; and a sentence for the ack.</summary>
    public sealed record Plan(IReadOnlyList<(long RunId, IReadOnlyList<TestRow> Rows)> Runs, string Summary);

    /// <summary>Selects the rows and removes their directories; the caller sends DeleteTests for each run.</summary>
    public static Plan Remove(AreaConfig area, CleanRequest request, Func<long, bool> runActive)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runActive);
        if (string.IsNullOrEmpty(request.Target) || string.IsNullOrEmpty(request.RunName) || string.IsNullOrEmpty(request.TestPatt))
        {
            throw new ArgumentException("-remove-runs needs -target, -runname and -testpatt (each may be %)");
        }

        if (!File.Exists(area.DatabasePath))
        {
            return new Plan([], "nothing to remove: no database yet");
        }

        using var db = MegatestQueries.Open(area.DatabasePath);
        var pattern = TestPattern.Parse(request.TestPatt);
        var states = request.States.Length == 0 ? null : request.States.ToHashSet(StringComparer.Ordinal);
        var statuses = request.Statuses.Length == 0 ? null : request.Statuses.ToHashSet(StringComparer.Ordinal);
        var roots = AllowedRoots(area);
        var result = new List<(long, IReadOnlyList<TestRow>)>();
        int removed = 0, skippedRunning = 0, lockedRuns = 0;
        foreach (var run in db.Runs(request.Target, request.RunName))
        {
            if (run.State == "locked")
            {
                lockedRuns++;
                continue;
            }

            var rows = db.Tests(run.Id)
                .Where(t => pattern.Matches(t.TestName, t.ItemPath))
                .Where(t => states is null || states.Contains(t.State))
                .Where(t => statuses is null || statuses.Contains(t.Status))
                .ToList();
            var running = rows.Where(t => States.IsRunning(t.State) || runActive(run.Id)).ToList();
            skippedRunning += running.Count;
            rows = rows.Except(running).ToList();

            // A toplevel goes only with all its items; items first, then the toplevel.
            var all = db.Tests(run.Id);
            rows = rows.Where(t => t.ItemPath.Length > 0 || all.Where(i => i.TestName == t.TestName && i.ItemPath.Length > 0).All(i => rows.Contains(i)))
                .OrderByDescending(t => t.ItemPath.Length).ToList();
            foreach (var row in rows)
            {
                RemoveDirectories(row, roots);
            }

            removed += rows.Count;
            if (rows.Count > 0)
            {
                result.Add((run.Id, rows));
            }
        }

        var summary = $"removing {removed} tests in {result.Count} runs";
        if (skippedRunning > 0)
        {
            summary += $"; {skippedRunning} running tests left alone (kill them first)";
        }

        if (lockedRuns > 0)
        {
            summary += $"; {lockedRuns} locked runs left alone";
        }

        return new Plan(result, summary);
    }

    /// <summary>The directories the area owns: its link tree and its disks.</summary>
    public static IReadOnlyList<string> AllowedRoots(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var roots = new List<string> { Path.GetFullPath(area.LinkTree) };
        roots.AddRange(area.Megatest.Section("disks").Select(d => d.Value.Trim()).Where(Path.IsPathRooted).Select(Path.GetFullPath));
        return roots;
    }

    /// <summary>True when <paramref name="path"/> (resolved, without following its last link) is strictly inside one of <paramref name="roots"/>.</summary>
    public static bool IsInside(string path, IReadOnlyList<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
        {
            return false;
        }

        var full = Path.GetFullPath(path);
        return roots.Any(r => full.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal));
    }

    internal static void RemoveDirectories(TestRow row, IReadOnlyList<string> roots)
    {
        foreach (var dir in new[] { row.ShortDir, row.RunDir }.Distinct())
        {
            if (!IsInside(dir, roots))
            {
                continue;
            }

            var info = new DirectoryInfo(dir);
            try
            {
                if (info.LinkTarget is { } target)
                {
                    var physical = Path.GetFullPath(target, Path.GetDirectoryName(dir)!);
                    if (IsInside(physical, roots) && Directory.Exists(physical))
                    {
                        Directory.Delete(physical, recursive: true);
                    }

                    File.Delete(dir); // unlinks the symlink itself, even when its target is gone
                }
                else if (info.Exists)
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the user: the rows go, the message in the log says which directory stayed.
            }
        }
    }
}
