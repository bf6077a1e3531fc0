using System.Globalization;
using System.Text;

namespace Megatest.Cli;

/// <summary>
/// The area's <c>.homehost</c> file: which host is the area's home and, when the coordinator and db writer run as
/// daemons, where they listen. The first line is the host, as in Megatest; <c>KEY VALUE</c> lines follow. Written
/// by <c>megatest -migrate-home</c> (atomically: a temporary file renamed over it); its endpoints take precedence over
/// megatest.config <c>[services]</c>.
/// </summary>
/// <param name="Host">The home host (name or address).</param>
/// <param name="Services">Where the daemons listen; <see cref="ServiceEndpoints.None"/> for the embedded roles.</param>
/// <param name="Generation">Counts migrations; a migration only succeeds over the generation it started from.</param>
/// <param name="Since">When the home moved here (epoch seconds).</param>
/// <param name="Pids">Process ids of the daemons started here ("coordinator", "dbwriter"), for the operator.</param>
public sealed record HomePointer(string Host, ServiceEndpoints Services, long Generation, long Since, IReadOnlyDictionary<string, int> Pids)
{
    /// <summary>The file name in the area top.</summary>
    public const string FileName = ".homehost";

    /// <summary>The path of the pointer of the area at <paramref name="topPath"/>.</summary>
    public static string PathIn(string topPath) => Path.Combine(topPath, FileName);

    /// <summary>Reads the pointer of the area at <paramref name="topPath"/>; null when there is none.</summary>
    /// <exception cref="UsageException">A line that cannot be read (names file and line).</exception>
    public static HomePointer? Read(string topPath)
    {
        var path = PathIn(topPath);
        if (!File.Exists(path))
        {
            return null;
        }

        string? host = null;
        string? coordinator = null, dbwriter = null, publish = null;
        long generation = 0, since = 0;
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (host is null)
            {
                host = line;
                continue;
            }

            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var value = parts.Length == 2 ? parts[1] : "";
            var ok = true;
            switch (parts[0])
            {
                case "coordinator":
                    coordinator = value;
                    break;
                case "dbwriter":
                    dbwriter = value;
                    break;
                case "dbwriter-publish":
                    publish = value;
                    break;
                case "generation":
                    ok = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out generation);
                    break;
                case "since":
                    ok = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out since);
                    break;
                case var key when key.EndsWith("-pid", StringComparison.Ordinal):
                    ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid);
                    pids[key[..^4]] = pid;
                    break;
            }

            if (!ok)
            {
                throw new UsageException($"{path}:{lineNo}: '{parts[0]}' needs a whole number, got '{value}'");
            }
        }

        return host is null ? null : new HomePointer(host, new ServiceEndpoints(coordinator, dbwriter, publish), generation, since, pids);
    }

    /// <summary>Replaces the pointer of the area at <paramref name="topPath"/> in one rename.</summary>
    public void Write(string topPath)
    {
        var text = new StringBuilder();
        text.Append(Host).Append('\n');
        Line(text, "coordinator", Services.Coordinator);
        Line(text, "dbwriter", Services.DbWriter);
        Line(text, "dbwriter-publish", Services.DbWriterPublish);
        Line(text, "generation", Generation.ToString(CultureInfo.InvariantCulture));
        Line(text, "since", Since.ToString(CultureInfo.InvariantCulture));
        foreach (var (role, pid) in Pids)
        {
            Line(text, role + "-pid", pid.ToString(CultureInfo.InvariantCulture));
        }

        var path = PathIn(topPath);
        var temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, path, overwrite: true);
    }

    private static void Line(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(key).Append(' ').Append(value).Append('\n');
        }
    }
}
