using System.Globalization;
using System.Security.Cryptography;
using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;

namespace Megatest.Scheduling;

/// <summary>
/// The archive control packet (<c>-archive save|save-remove|keep-html|restore</c>, SPEC §5.7), carried out by the
/// coordinator where the run directories are. Selected tests (toplevels with items are skipped) are archived into a
/// block on the <c>[archive-disks]</c> disk with most free space, with bup when it is installed (or
/// <c>[archive] tool bup</c>) and tar+zstd otherwise; a sha256 manifest beside each archive lets <c>restore</c> check
/// every file it brings back. The rows stay in the database: tests.archived names the block, an archives row names the
/// archive, and tests whose directories were removed become ARCHIVED. Every command and path comes from this code and
/// the area's config; every directory touched is checked to lie inside the link tree, a <c>[disks]</c> entry or an
/// <c>[archive-disks]</c> entry.
/// </summary>
public sealed class RunArchiver
{
    /// <summary>The modes of -archive.</summary>
    public static readonly IReadOnlyList<string> Modes = ["save", "save-remove", "keep-html", "restore"];

    /// <summary>Default [archive] minspace in MB.</summary>
    public const long DefaultMinSpaceMb = 1000;

    private const string ManifestSuffix = ".sha256";

    // Symbolic links are neither followed nor hashed: the archive keeps them as links.
    private static readonly EnumerationOptions s_walk = new() { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
    private readonly AreaConfig _area;
    private readonly Func<IPacket, Task<IPacket>> _ask;
    private readonly List<string> _notes = [];
    private readonly IReadOnlyList<string> _roots;

    /// <summary>An archiver for <paramref name="area"/>; <paramref name="ask"/> sends a packet to the db writer and returns its reply.</summary>
    public RunArchiver(AreaConfig area, Func<IPacket, Task<IPacket>> ask)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(ask);
        _area = area;
        _ask = ask;
        _roots = RunCleaner.AllowedRoots(area);
    }

    /// <summary>Why <paramref name="mode"/> is not an -archive mode, or null.</summary>
    public static string? ModeProblem(string? mode) =>
        Modes.Contains(mode ?? "", StringComparer.Ordinal) ? null : $"-archive '{mode}': the mode is one of {string.Join(", ", Modes)}";

    /// <summary>Archives or restores the selected tests; returns a sentence for the ack.</summary>
    /// <exception cref="ArchiveException">Nothing could be done: no archive disk, no archive tool, bad selectors.</exception>
    public async Task<string> RunAsync(ArchiveRequest request, IReadOnlySet<long> activeRuns)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(activeRuns);
        if (ModeProblem(request.Mode) is { } problem)
        {
            throw new ArchiveException(problem);
        }

        if (string.IsNullOrEmpty(request.Target) || string.IsNullOrEmpty(request.RunName))
        {
            throw new ArchiveException("-archive needs -target and -runname (each may be a pattern; % for all)");
        }

        var selected = Select(request, activeRuns);
        var done = 0;
        foreach (var (run, rows) in selected)
        {
            done += request.Mode == "restore" ? await RestoreAsync(run, rows) : await SaveAsync(run, rows, request.Mode);
        }

        var verb = request.Mode == "restore" ? "restored" : "archived";
        var summary = $"{request.Mode}: {verb} {done} tests in {selected.Count(s => s.Rows.Count > 0)} runs";
        return _notes.Count == 0 ? summary : summary + "; " + string.Join("; ", _notes);
    }

    private List<(RunRow Run, List<(TestRow Row, string? Block, string? Archive)> Rows)> Select(ArchiveRequest request, IReadOnlySet<long> activeRuns)
    {
        var result = new List<(RunRow, List<(TestRow, string?, string?)>)>();
        if (!File.Exists(_area.DatabasePath))
        {
            return result;
        }

        var pattern = TestPattern.Parse(string.IsNullOrEmpty(request.TestPatt) ? "%" : request.TestPatt);
        using var db = MegatestQueries.Open(_area.DatabasePath);
        foreach (var run in db.Runs(request.Target, request.RunName))
        {
            if (run.State == "locked" || activeRuns.Contains(run.Id))
            {
                _notes.Add($"run {run.Target}/{run.RunName} left alone ({(run.State == "locked" ? "locked" : "being run")})");
                continue;
            }

            var all = db.Tests(run.Id);
            var rows = new List<(TestRow, string?, string?)>();
            foreach (var row in all.Where(t => pattern.Matches(t.TestName, t.ItemPath)))
            {
                if (row.ItemPath.Length == 0 && all.Any(i => i.TestName == row.TestName && i.ItemPath.Length > 0))
                {
                    continue; // toplevels with items are skipped: their items are archived one by one
                }

                if (States.IsRunning(row.State) || row.State is States.KillReq or States.Removing or States.Cleaning or States.ArchiveRemoving)
                {
                    _notes.Add($"{row.TestName}/{row.ItemPath} is {row.State}: left alone");
                    continue;
                }

                var latest = db.LatestArchive(row.Id);
                if (request.Mode == "restore" ? latest is not null : row.State != States.Archived)
                {
                    rows.Add((row, latest?.BlockPath, latest?.ArchivePath));
                }
            }

            result.Add((run, rows));
        }

        return result;
    }

    private async Task<int> SaveAsync(RunRow run, List<(TestRow Row, string? Block, string? Archive)> selected, string mode)
    {
        // Group the tests by the disk they live on: one archive per run and disk, paths relative to the disk.
        var groups = new Dictionary<string, List<(TestRow Row, string Relative)>>(StringComparer.Ordinal);
        foreach (var (row, _, _) in selected)
        {
            if (Located(run, row) is not { } where || !Directory.Exists(where.Physical))
            {
                _notes.Add($"{Name(row)}: no run directory to archive");
                continue;
            }

            if (!groups.TryGetValue(where.Base, out var list))
            {
                groups[where.Base] = list = [];
            }

            list.Add((row, where.Relative));
        }

        if (groups.Count == 0)
        {
            return 0;
        }

        var (diskName, diskPath) = ChooseArchiveDisk();
        var block = BlockPath(diskPath);
        Directory.CreateDirectory(block);
        var tool = ArchiveTool.Choose(_area.Megatest);
        var count = 0;
        foreach (var (baseDir, tests) in groups)
        {
            var name = $"{AreaName()}-{run.Id}-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)}";
            var relatives = tests.Select(t => t.Relative).ToList();
            var archive = await tool.SaveAsync(block, name, baseDir, relatives, Level());
            await WriteManifestAsync(Path.Combine(block, name + ManifestSuffix), baseDir, relatives);
            var ids = tests.Select(t => t.Row.Id).ToArray();
            var removing = mode != "save";
            await AskAsync(new RecordArchive
            {
                RunId = run.Id, TestIds = ids, DiskName = diskName, DiskPath = diskPath, BlockPath = block, ArchivePath = archive,
                State = removing ? States.ArchiveRemoving : null,
            });
            if (removing)
            {
                foreach (var (row, relative) in tests)
                {
                    RemoveRunData(row, Path.Combine(baseDir, relative), keepHtml: mode == "keep-html");
                    await AskAsync(new StatusChange { TestId = row.Id, State = States.Archived });
                }
            }

            count += tests.Count;
        }

        return count;
    }

    private async Task<int> RestoreAsync(RunRow run, List<(TestRow Row, string? Block, string? Archive)> selected)
    {
        var count = 0;
        foreach (var (row, block, archive) in selected)
        {
            if (Located(run, row) is not { } where)
            {
                continue;
            }

            if (block is null || archive is null || !InsideArchiveDisks(block) || ArchiveTool.NameProblem(archive) is not null)
            {
                _notes.Add($"{Name(row)}: its archive {block}/{archive} is not in an [archive-disks] disk");
                continue;
            }

            var tool = ArchiveTool.For(archive, _area.Megatest);
            // What is still there (HTML of keep-html, or the files of save) goes aside until the restored copy is checked.
            var aside = Path.Combine(Path.GetDirectoryName(where.Physical)!, "." + Path.GetFileName(where.Physical) + ".before-restore");
            if (Directory.Exists(aside))
            {
                Directory.Delete(aside, recursive: true);
            }

            if (Directory.Exists(where.Physical))
            {
                Directory.Move(where.Physical, aside);
            }

            await tool.RestoreAsync(block, archive, where.Base, where.Relative);
            var manifest = Path.Combine(block, ArchiveTool.BaseName(archive) + ManifestSuffix);
            if (await VerifyAsync(manifest, where.Base, where.Relative) is { } mismatch)
            {
                _notes.Add($"{Name(row)}: restored, but {mismatch}" + (Directory.Exists(aside) ? $" (what was there before is in {aside})" : ""));
                continue;
            }

            if (Directory.Exists(aside))
            {
                Directory.Delete(aside, recursive: true);
            }

            RelinkToplevel(run, row, where);
            if (row.State == States.Archived)
            {
                await AskAsync(new StatusChange { TestId = row.Id, State = States.Completed });
            }

            count++;
        }

        return count;
    }

    /// <summary>Where a test's data lives: the disk directory, the path below it (TARGET/RUNNAME/TEST[/ITEM]) and the whole path.</summary>
    private (string Base, string Relative, string Physical)? Located(RunRow run, TestRow row)
    {
        if ((PathSafety.TestNameProblem(row.TestName) ?? PathSafety.ItemPathProblem(row.ItemPath)) is { } bad)
        {
            _notes.Add($"{Name(row)}: {bad}");
            return null;
        }

        var relative = Path.Combine(run.Target, run.RunName, row.TestName, row.ItemPath).TrimEnd('/');
        var physical = Path.IsPathRooted(row.ShortDir) ? Path.GetFullPath(row.ShortDir) : "";
        if (!physical.EndsWith("/" + relative, StringComparison.Ordinal) || !RunCleaner.IsInside(physical, _roots))
        {
            _notes.Add($"{Name(row)}: its run directory '{row.ShortDir}' is not TARGET/RUNNAME/TEST below the link tree or a [disks] entry");
            return null;
        }

        return (physical[..^(relative.Length + 1)], relative, physical);
    }

    private (string Name, string Path) ChooseArchiveDisk()
    {
        var disks = _area.Megatest.Section("archive-disks");
        if (disks.Count == 0)
        {
            throw new ArchiveException("no [archive-disks] in megatest.config: add 'NAME /path' lines naming where archives go");
        }

        var minSpace = long.TryParse(_area.Megatest.Get("archive", "minspace")?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : DefaultMinSpaceMb;
        (string Name, string Path)? best = null;
        long bestFree = -1;
        foreach (var (name, raw) in disks)
        {
            var path = ArchiveDiskPath(raw);
            if (!Directory.Exists(path))
            {
                continue;
            }

            var free = new DriveInfo(path).AvailableFreeSpace / (1024 * 1024);
            if (free > minSpace && free > bestFree)
            {
                best = (name, path);
                bestFree = free;
            }
        }

        return best ?? throw new ArchiveException(
            $"no usable archive disk: every [archive-disks] entry is missing or has less than [archive] minspace {minSpace} MB free ({string.Join(", ", disks.Select(d => d.Key + " " + d.Value))})");
    }

    private string ArchiveDiskPath(string raw) => Path.GetFullPath(Path.Combine(_area.TopPath, raw.Trim()));

    private bool InsideArchiveDisks(string block) =>
        RunCleaner.IsInside(block, [.. _area.Megatest.Section("archive-disks").Select(d => ArchiveDiskPath(d.Value))]);

    /// <summary>DISK/YYYY_qQ/AREA_HASH, HASH being 5 hex digits of the md5 of the area's top path (SPEC §5.7).</summary>
    private string BlockPath(string disk)
    {
        var now = DateTime.Now;
        var hash = Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(_area.TopPath)))[..5];
        return Path.Combine(disk, $"{now.Year}_q{((now.Month - 1) / 3) + 1}", $"{AreaName()}_{hash}");
    }

    private string AreaName()
    {
        var name = _area.Environment.Get("MT_TESTSUITENAME") ?? Path.GetFileName(_area.TopPath);
        return string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
    }

    private string Level()
    {
        var text = _area.Megatest.Get("archive", "compress")?.Trim();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) && level is >= 1 and <= 19 ? text! : "9";
    }

    private void RemoveRunData(TestRow row, string physical, bool keepHtml)
    {
        if (!keepHtml)
        {
            RunCleaner.RemoveDirectories(row, _roots);
            return;
        }

        // keep-html: the archive holds everything; the HTML reports (and the directories they sit in) stay browsable.
        foreach (var file in Directory.EnumerateFiles(physical, "*", s_walk))
        {
            if (!file.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(file);
            }
        }
    }

    private void RelinkToplevel(RunRow run, TestRow row, (string Base, string Relative, string Physical) where)
    {
        var link = Path.Combine(_area.LinkTree, run.Target, run.RunName, row.TestName);
        var top = Path.Combine(where.Base, run.Target, run.RunName, row.TestName);
        if (link == top || Directory.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, top);
    }

    private static async Task WriteManifestAsync(string manifest, string baseDir, IReadOnlyList<string> relatives)
    {
        var lines = new List<string>();
        foreach (var relative in relatives)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(baseDir, relative), "*", s_walk).Order(StringComparer.Ordinal))
            {
                lines.Add(await HashAsync(file) + "  " + Path.GetRelativePath(baseDir, file));
            }
        }

        await File.WriteAllLinesAsync(manifest, lines);
    }

    private static async Task<string?> VerifyAsync(string manifest, string baseDir, string relative)
    {
        if (!File.Exists(manifest))
        {
            return "its manifest " + manifest + " is missing, so the files are not checked";
        }

        foreach (var line in await File.ReadAllLinesAsync(manifest))
        {
            var split = line.IndexOf("  ", StringComparison.Ordinal);
            var path = split > 0 ? line[(split + 2)..] : "";
            if (path != relative && !path.StartsWith(relative + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var file = Path.Combine(baseDir, path);
            if (!File.Exists(file) || await HashAsync(file) != line[..split])
            {
                return $"{file} does not match its sha256 in {manifest}";
            }
        }

        return null;
    }

    private static async Task<string> HashAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    private async Task AskAsync(IPacket packet)
    {
        var reply = await _ask(packet).WaitAsync(TimeSpan.FromMinutes(2));
        if (reply is Ack { Ok: false } nack)
        {
            throw new ArchiveException($"db writer refused {packet.Code}: {nack.Error}");
        }
    }

    private static string Name(TestRow row) => row.ItemPath.Length == 0 ? row.TestName : row.TestName + "/" + row.ItemPath;
}
