using System.Globalization;

namespace Megatest.Cli;

/// <summary>
/// The area's <c>.homehost.lock</c>: created with O_EXCL (<see cref="FileMode.CreateNew"/>), so of two migrations,
/// in any processes on any hosts sharing the area, exactly one holds it; removed when disposed.
/// </summary>
public sealed class HomeLock : IDisposable
{
    /// <summary>The lock file name in the area top.</summary>
    public const string FileName = ".homehost.lock";

    private readonly string _path;

    private HomeLock(string path)
    {
        _path = path;
    }

    /// <summary>Takes the lock of the area at <paramref name="topPath"/> for a migration to <paramref name="host"/>.</summary>
    /// <exception cref="UsageException">Another migration holds it (the message names its host, process and start).</exception>
    public static HomeLock Take(string topPath, string host)
    {
        var path = Path.Combine(topPath, FileName);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(stream);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{host} pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z\n"));
            return new HomeLock(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            var holder = ReadHolder(path);
            throw new UsageException(
                $"refused: another migration of this area is under way ({path}: {holder}); wait for it to end, " +
                "or remove that file if that migration died");
        }
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(_path);

    private static string ReadHolder(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : "being written";
        }
        catch (IOException)
        {
            return "unreadable";
        }
    }
}
