using System.Diagnostics;
using System.Globalization;
using Megatest.Config;

namespace Megatest.Scheduling;

/// <summary>
/// The programs that write and read archives: bup (a repository per block, one save per archive, SPEC §5.7) or
/// tar+zstd (one .tar.zst file per archive). Arguments are built here and passed without a shell.
/// </summary>
internal abstract class ArchiveTool
{
    private const string TarSuffix = ".tar.zst";

    /// <summary>Writes the directories <paramref name="relatives"/> of <paramref name="baseDir"/> into block; returns the archive's name in it.</summary>
    public abstract Task<string> SaveAsync(string block, string name, string baseDir, IReadOnlyList<string> relatives, string level);

    /// <summary>Brings <paramref name="relative"/> back from <paramref name="archive"/> into <paramref name="baseDir"/>.</summary>
    public abstract Task RestoreAsync(string block, string archive, string baseDir, string relative);

    /// <summary>The tool for new archives: [archive] tool, else bup when installed, else tar+zstd.</summary>
    public static ArchiveTool Choose(ConfigData megatest)
    {
        var bup = Bup(megatest);
        switch (megatest.Get("archive", "tool")?.Trim() ?? "")
        {
            case "bup":
                return Find(bup) is not null ? new BupTool(bup) : throw new ArchiveException($"[archive] tool bup: '{bup}' is not installed (Debian: apt-get install bup)");
            case "tar":
                return TarOrFail();
            case "":
                return Find(bup) is not null ? new BupTool(bup) : TarOrFail();
            case var other:
                throw new ArchiveException($"[archive] tool '{other}': use bup or tar");
        }
    }

    /// <summary>The tool that reads <paramref name="archive"/> (a .tar.zst file, or NAME/latest in a bup repository).</summary>
    public static ArchiveTool For(string archive, ConfigData megatest) =>
        archive.EndsWith(TarSuffix, StringComparison.Ordinal) ? TarOrFail() : new BupTool(Bup(megatest));

    /// <summary>Why a stored archive name cannot be one this code wrote, or null.</summary>
    public static string? NameProblem(string archive)
    {
        var name = BaseName(archive);
        var wellFormed = archive == name + TarSuffix || archive == name + "/latest";
        return wellFormed && name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.')
            ? null
            : $"archive name '{archive}' is not one this program writes";
    }

    /// <summary>The archive's name without its suffix (the manifest is NAME.sha256 beside it).</summary>
    public static string BaseName(string archive) =>
        archive.EndsWith(TarSuffix, StringComparison.Ordinal) ? archive[..^TarSuffix.Length] : archive.Split('/')[0];

    private static string Bup(ConfigData megatest) => megatest.Get("archive", "bup")?.Trim() is { Length: > 0 } path ? path : "bup";

    private static TarTool TarOrFail() =>
        Find("zstd") is not null && Find("tar") is not null
            ? new TarTool()
            : throw new ArchiveException("archiving needs bup, or tar and zstd: neither bup nor zstd is installed (Debian: apt-get install zstd)");

    /// <summary>The full path of <paramref name="program"/> (a path, or a name looked up on PATH), or null.</summary>
    public static string? Find(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a program to its end; throws with its error output when it fails.</summary>
    protected static async Task RunAsync(string program, IEnumerable<string> arguments, string? level = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (level is not null)
        {
            start.Environment["ZSTD_CLEVEL"] = level;
        }

        using var process = Process.Start(start) ?? throw new ArchiveException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new ArchiveException($"{program} {string.Join(' ', start.ArgumentList)} failed (exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {(await stderr).Trim()}");
        }
    }

    private sealed class TarTool : ArchiveTool
    {
        public override async Task<string> SaveAsync(string block, string name, string baseDir, IReadOnlyList<string> relatives, string level)
        {
            var file = Path.Combine(block, name + TarSuffix);
            await RunAsync("tar", ["--zstd", "-cf", file, "-C", baseDir, "--", .. relatives], level);
            await RunAsync("zstd", ["-q", "-t", file]); // the archive reads back whole before anything is removed
            return name + TarSuffix;
        }

        public override async Task RestoreAsync(string block, string archive, string baseDir, string relative)
        {
            Directory.CreateDirectory(baseDir);
            await RunAsync("tar", ["--zstd", "-xf", Path.Combine(block, archive), "-C", baseDir, "--", relative]);
        }
    }

    private sealed class BupTool(string bup) : ArchiveTool
    {
        public override async Task<string> SaveAsync(string block, string name, string baseDir, IReadOnlyList<string> relatives, string level)
        {
            if (!File.Exists(Path.Combine(block, "HEAD")))
            {
                await RunAsync(bup, ["-d", block, "init"]);
            }

            var paths = relatives.Select(r => Path.Combine(baseDir, r)).ToList();
            await RunAsync(bup, ["-d", block, "index", .. paths]);
            var compress = int.Parse(level, CultureInfo.InvariantCulture) > 9 ? "9" : level;
            await RunAsync(bup, ["-d", block, "save", "--compress=" + compress, "-n", name, "--strip-path=" + baseDir, .. paths]);
            return name + "/latest";
        }

        public override async Task RestoreAsync(string block, string archive, string baseDir, string relative)
        {
            var parent = Path.GetDirectoryName(Path.Combine(baseDir, relative))!;
            Directory.CreateDirectory(parent);
            await RunAsync(bup, ["-d", block, "restore", "-C", parent, archive + "/" + relative]);
        }
    }
}
