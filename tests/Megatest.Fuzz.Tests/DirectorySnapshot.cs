namespace Megatest.Fuzz.Tests;

/// <summary>Every file and directory under a root with size, time and mode, to prove that nothing was written.</summary>
public static class DirectorySnapshot
{
    /// <summary>One line per entry, sorted.</summary>
    public static IReadOnlyList<string> Take(string root)
    {
        var lines = new List<string>();
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            var size = entry is FileInfo file ? file.Length : -1;
            lines.Add($"{relative}\t{size}\t{entry.LastWriteTimeUtc.Ticks}\t{entry.UnixFileMode}");
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The entries that differ between two snapshots (added "+", removed "-").</summary>
    public static IReadOnlyList<string> Diff(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var removed = before.Except(after, StringComparer.Ordinal).Select(l => "- " + l);
        var added = after.Except(before, StringComparer.Ordinal).Select(l => "+ " + l);
        return removed.Concat(added).ToList();
    }
}
