using Megatest.Config;

namespace Megatest.Agent;

/// <summary>
/// Where a test runs (SPEC §1.2): the physical directory on the disk with the most free space and the
/// link-tree path that points at it.
/// </summary>
/// <param name="LinkDir">Link-tree path of the test or item (the work area, MT_TEST_RUN_DIR).</param>
/// <param name="PhysicalDir">Physical directory of the test or item.</param>
/// <param name="ToplevelLink">Link-tree path of the test (without item path).</param>
public sealed record RunDirectories(string LinkDir, string PhysicalDir, string ToplevelLink)
{
    /// <summary>Minimum free space (1K blocks) of a usable disk unless [setup] minspace says otherwise.</summary>
    public const long DefaultMinSpace = 10000;

    /// <summary>How long a disk's writability, once probed, is taken as known (a probe writes and deletes a file).</summary>
    private static readonly TimeSpan s_writableFor = TimeSpan.FromSeconds(5);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (bool Writable, long At)> s_writable = new(StringComparer.Ordinal);

    /// <summary>Chooses the disk, creates the directories and the link (re-created every launch).</summary>
    public static RunDirectories Create(AreaConfig area, ConfigData testConfig, string testSourceDir, string target, string runName, string testName, string itemPath)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(testConfig);
        var relTop = Path.Combine(target, runName, testName);
        string physicalTop;
        var existingLink = new FileInfo(Path.Combine(area.LinkTree, target, runName, testName)).LinkTarget;
        var disks = testConfig.HasSection("disks") ? testConfig.Section("disks") : area.Megatest.Section("disks");
        if (itemPath.Length > 0 && existingLink is not null && Directory.Exists(existingLink))
        {
            // Items of one test share the test's directory, wherever the first item put it.
            physicalTop = existingLink;
        }
        else if (disks.Count == 0)
        {
            physicalTop = Path.Combine(testSourceDir, "tmp_run", relTop);
        }
        else
        {
            var disk = ChooseDisk(disks, area) ?? throw new InvalidOperationException(
                "no usable disk: every [disks] entry is missing, not writable, not absolute or below minspace (" +
                string.Join(", ", disks.Select(d => d.Key + " " + d.Value)) + ")");
            physicalTop = Path.Combine(disk, relTop);
        }

        Directory.CreateDirectory(physicalTop);
        var linkParent = Path.Combine(area.LinkTree, target, runName);
        Directory.CreateDirectory(linkParent);
        var link = Path.Combine(linkParent, testName);
        EnsureLink(link, physicalTop);
        EnsureAreaLt(area);
        if (itemPath.Length == 0)
        {
            return new RunDirectories(link, physicalTop, link);
        }

        var physicalItem = Path.Combine(physicalTop, itemPath);
        Directory.CreateDirectory(physicalItem);
        return new RunDirectories(Path.Combine(link, itemPath), physicalItem, link);
    }

    private static string? ChooseDisk(IReadOnlyList<KeyValuePair<string, string>> disks, AreaConfig area)
    {
        var minSpace = long.TryParse(area.Megatest.Get("setup", "minspace"), out var m) ? m : DefaultMinSpace;
        string? best = null;
        long bestFree = -1;
        foreach (var (_, raw) in disks)
        {
            var path = raw.Trim();
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !path.StartsWith('/'))
            {
                path = path[(colon + 1)..]; // host:/path form: the path part is what this host sees
            }

            if (!Path.IsPathRooted(path) || !Directory.Exists(path))
            {
                continue;
            }

            long free;
            try
            {
                free = new DriveInfo(path).AvailableFreeSpace / 1024;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                continue;
            }

            if (free > minSpace && free > bestFree && IsWritable(path))
            {
                best = path;
                bestFree = free;
            }
        }

        return best;
    }

    private static bool IsWritable(string dir)
    {
        // Probed again every few seconds rather than for every test: on a busy disk each probe is an inode allocated and
        // freed, and a test launched on a disk that has just turned read-only fails to start and is run again ([setup] reruns).
        var now = Environment.TickCount64;
        if (s_writable.TryGetValue(dir, out var known) && now - known.At < s_writableFor.TotalMilliseconds)
        {
            return known.Writable;
        }

        var writable = Probe(dir);
        s_writable[dir] = (writable, now);
        return writable;
    }

    private static bool Probe(string dir)
    {
        try
        {
            var probe = Path.Combine(dir, ".mt-probe-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId);
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void EnsureLink(string link, string target)
    {
        var info = new FileInfo(link);
        if (info.LinkTarget is { } existing)
        {
            if (existing == target)
            {
                return;
            }

            info.Delete();
        }
        else if (Directory.Exists(link))
        {
            return; // a real directory is already there; leave the user's data alone
        }

        try
        {
            File.CreateSymbolicLink(link, target);
        }
        catch (IOException) when (new FileInfo(link).LinkTarget == target)
        {
            // another item of the same test made it first
        }
    }

    private static void EnsureAreaLt(AreaConfig area)
    {
        var lt = Path.Combine(area.TopPath, "lt");
        if (File.Exists(lt) || Directory.Exists(lt) || new FileInfo(lt).LinkTarget is not null)
        {
            return;
        }

        try
        {
            File.CreateSymbolicLink(lt, area.LinkTree);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
