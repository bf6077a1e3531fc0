using System.Text;

namespace Megatest.Cli.Utilities;

/// <summary>
/// -create-megatest-area: asks for the area path, the keys, the run disk and the link tree (each skipped when
/// -area, -keys, -disk or -linktree is given) and writes megatest.config and runconfigs.config. Existing files
/// are never overwritten.
/// </summary>
internal static class AreaCreator
{
    /// <summary>Key names that are columns of the runs table and therefore cannot be keys (SPEC §3.1).</summary>
    private static readonly HashSet<string> s_reservedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "runname", "state", "status", "owner", "event_time", "comment", "fail_count", "pass_count", "contour",
    };

    /// <summary>Runs the generator; returns the exit code.</summary>
    public static int Run(CliArgs args, Prompter prompter, TextWriter output)
    {
        var cwd = Directory.GetCurrentDirectory();
        var area = FullPath(prompter.Ask(args.Get("-area"), "Directory of the new Megatest area", cwd), cwd);
        RefuseExisting(area);

        var keys = SplitKeys(args.Get("-keys"));
        while (keys.Count == 0)
        {
            var answer = prompter.AskOptional("Keys (the parts of a target, e.g. RELEASE PLATFORM; comma or space separated)");
            if (answer is null && prompter.EndOfInput)
            {
                throw new UsageException("-create-megatest-area: at least one key is needed (-keys K1,K2)");
            }

            keys = SplitKeys(answer);
        }

        foreach (var key in keys)
        {
            if (!ShellQuoting.IsVariableName(key) || s_reservedKeys.Contains(key))
            {
                throw new UsageException($"-create-megatest-area: '{key}' cannot be a key (letters, digits and _ only; not a runs column such as runname or state)");
            }
        }

        if (keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() != keys.Count)
        {
            throw new UsageException("-create-megatest-area: a key is named twice: " + string.Join(",", keys));
        }

        var disk = FullPath(prompter.Ask(args.Get("-disk"), "Disk for the run directories", Path.Combine(area, "runs")), area);
        var linkTree = FullPath(prompter.Ask(args.Get("-linktree"), "Link tree (one link per test run)", Path.Combine(area, "links")), area);

        RefuseExisting(area);
        Directory.CreateDirectory(area);
        Directory.CreateDirectory(disk);
        Directory.CreateDirectory(linkTree);
        var megatestConfig = Path.Combine(area, "megatest.config");
        var runConfigs = Path.Combine(area, "runconfigs.config");
        WriteNew(megatestConfig, MegatestConfigText(keys, disk, linkTree));
        WriteNew(runConfigs, RunConfigsText(keys));
        Directory.CreateDirectory(Path.Combine(area, "tests"));

        output.WriteLine($"Created {megatestConfig}");
        output.WriteLine($"Created {runConfigs}");
        output.WriteLine($"Add tests with: cd {area} && megatest -create-test NAME");
        output.WriteLine($"Run them with:  megatest -run -target {string.Join("/", keys.Select(k => k.ToLowerInvariant()))} -runname r1 -testpatt %");
        return 0;
    }

    /// <summary>Writes a file that must not exist yet.</summary>
    public static void WriteNew(string path, string text)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            writer.NewLine = "\n";
            writer.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new UsageException($"{path} already exists; not overwriting it");
        }
    }

    /// <summary>An absolute path: ~ expanded, relative paths taken from <paramref name="baseDirectory"/>.</summary>
    public static string FullPath(string path, string baseDirectory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, baseDirectory));
    }

    private static void RefuseExisting(string area)
    {
        foreach (var name in new[] { "megatest.config", "runconfigs.config" })
        {
            var path = Path.Combine(area, name);
            if (File.Exists(path))
            {
                throw new UsageException($"{path} already exists; not overwriting it (choose another directory)");
            }
        }
    }

    private static List<string> SplitKeys(string? text) =>
        text is null ? [] : [.. text.Split([',', ' ', '\t', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string MegatestConfigText(IReadOnlyList<string> keys, string disk, string linkTree)
    {
        var sb = new StringBuilder();
        sb.Append("# Megatest area written by megatest -create-megatest-area\n\n");
        sb.Append("# The keys: a target gives one value for each, in this order (-target ")
            .Append(string.Join("/", keys.Select(k => k.ToLowerInvariant()))).Append(").\n");
        sb.Append("[fields]\n");
        foreach (var key in keys)
        {
            sb.Append(key).Append(" TEXT\n");
        }

        sb.Append("\n[setup]\n");
        sb.Append("# At most this many tests run at once.\n");
        sb.Append("max_concurrent_jobs 50\n");
        sb.Append("# Every test run is reached through LINKTREE/TARGET/RUNNAME/TEST.\n");
        sb.Append("linktree ").Append(linkTree).Append("\n\n");
        sb.Append("[jobtools]\n");
        sb.Append("useshell yes\n");
        sb.Append("# nbfake runs tests on this host in the background.\n");
        sb.Append("launcher nbfake\n");
        sb.Append("maxload 1.5\n\n");
        sb.Append("# Variables exported to every test: NAME value\n");
        sb.Append("[env-override]\n\n");
        sb.Append("# Run directories go on the disk with the most free space: name path\n");
        sb.Append("[disks]\n");
        sb.Append("disk0 ").Append(disk).Append('\n');
        return sb.ToString();
    }

    private static string RunConfigsText(IReadOnlyList<string> keys)
    {
        var example = string.Join("/", keys.Select(k => k.ToLowerInvariant()));
        var sb = new StringBuilder();
        sb.Append("# Variables exported to the tests of a run: [default] for every target, then the target's own section.\n");
        sb.Append("[default]\n");
        sb.Append("# NAME value\n\n");
        sb.Append("# A section per target (% matches anything), e.g.:\n");
        sb.Append("# [").Append(example).Append("]\n");
        sb.Append("# NAME value for this target only\n");
        return sb.ToString();
    }
}
