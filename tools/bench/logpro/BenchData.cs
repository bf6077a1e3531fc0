using System.Globalization;
using System.Text;

namespace Megatest.Bench.LogPro;

/// <summary>Generates the benchmark's rule file, the same patterns for grep -E, and a log of a given size.</summary>
internal static class BenchData
{
    public const int RuleCount = 50;

    private static readonly string[] s_types = ["ignore", "note", "error", "warning", "waive", "check", "error", "warning", "error", "note"];

    /// <summary>Pattern k, valid both as a .NET regex and as a POSIX ERE.</summary>
    public static string Pattern(int k) => (k % 5) switch
    {
        0 => $"ERROR E{k:00}[0-9]+: .* failed",
        1 => $"warning: deprecated api_{k} used",
        2 => $"^FATAL-{k}:",
        3 => $"timeout after [0-9]+ ms in stage_{k}_",
        _ => $"(retry|redo) #[0-9]+ of job{k}:",
    };

    private static string Matching(int k, Random rnd) => (k % 5) switch
    {
        0 => $"2026-11-28T10:00:00.000Z ERROR E{k:00}{rnd.Next(1000)}: unit {rnd.Next(99)} failed",
        1 => $"2026-11-28T10:00:00.000Z warning: deprecated api_{k} used by caller {rnd.Next(1000)}",
        2 => $"FATAL-{k}: giving up after {rnd.Next(10)} attempts",
        3 => $"2026-11-28T10:00:00.000Z timeout after {rnd.Next(5000)} ms in stage_{k}_prepare",
        _ => $"2026-11-28T10:00:00.000Z retry #{rnd.Next(9)} of job{k}: scheduling",
    };

    public static void WriteRules(string rulesPath, string patternsPath)
    {
        var rules = new StringBuilder("; generated benchmark rules: ").Append(RuleCount).Append(" expect rules\n");
        var patterns = new StringBuilder();
        for (var k = 0; k < RuleCount; k++)
        {
            var p = Pattern(k);
            rules.Append(CultureInfo.InvariantCulture, $"(expect:{s_types[k % s_types.Length]} in \"LogFileBody\" < 1000000000 \"rule {k}\" #/{p.Replace("/", "\\/")}/)\n");
            patterns.Append(p).Append('\n');
        }

        File.WriteAllText(rulesPath, rules.ToString());
        File.WriteAllText(patternsPath, patterns.ToString());
    }

    /// <summary>Writes about <paramref name="bytes"/> bytes of log; roughly one line in 200 matches a rule.</summary>
    public static long WriteLog(string path, long bytes)
    {
        var rnd = new Random(42);
        string[] workers = ["worker-1", "worker-2", "worker-3", "io-pool", "scheduler"];
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        long lines = 0;
        var sb = new StringBuilder(256);
        while (written < bytes)
        {
            sb.Clear();
            var roll = rnd.Next(200);
            if (roll == 0)
            {
                sb.Append(Matching(rnd.Next(RuleCount), rnd));
            }
            else
            {
                var ts = $"2026-11-28T{rnd.Next(24):00}:{rnd.Next(60):00}:{rnd.Next(60):00}.{rnd.Next(1000):000}Z";
                switch (roll % 4)
                {
                    case 0:
                        sb.Append(CultureInfo.InvariantCulture, $"{ts} INFO  [{workers[roll % workers.Length]}] processed item {rnd.Next(1_000_000)} in {rnd.Next(500)} ms status=ok bytes={rnd.Next(100_000)}");
                        break;
                    case 1:
                        sb.Append(CultureInfo.InvariantCulture, $"{ts} DEBUG cache hit for key user:{rnd.Next(100_000)} ttl={rnd.Next(3600)}s");
                        break;
                    case 2:
                        sb.Append(CultureInfo.InvariantCulture, $"{ts} INFO  request GET /api/v1/items/{rnd.Next(1_000_000)} -> 200 ({rnd.Next(900)} ms)");
                        break;
                    default:
                        sb.Append(CultureInfo.InvariantCulture, $"{ts} TRACE compiling unit {rnd.Next(5000)}.c with -O2 -Wall -Wextra; deps resolved");
                        break;
                }
            }

            sb.Append('\n');
            w.Write(sb);
            written += sb.Length;
            lines++;
        }

        return lines;
    }
}
