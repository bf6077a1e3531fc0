using System.Text;

namespace Megatest.Fuzz.Tests;

/// <summary>Line- and character-level mutations of config text.</summary>
public static class ConfigMutator
{
    private const string Interesting = "[]{}#\\ \t\n\r%/:$~\0`'\"=";

    /// <summary>Applies 1..8 mutations to <paramref name="text"/>; <paramref name="other"/> is another file for splicing.</summary>
    public static string Mutate(string text, string other, Random rng, List<string> log)
    {
        var rounds = rng.Next(1, 9);
        for (var r = 0; r < rounds; r++)
        {
            text = rng.Next(2) == 0 ? MutateLines(text, rng, log) : MutateChars(text, other, rng, log);
        }

        return text;
    }

    private static string MutateLines(string text, Random rng, List<string> log)
    {
        var lines = text.Split('\n').ToList();
        var at = rng.Next(lines.Count);
        switch (rng.Next(9))
        {
            case 0:
                lines.RemoveAt(at);
                log.Add($"delete-line{at}");
                break;
            case 1:
                lines.Insert(at, lines[at]);
                log.Add($"dup-line{at}");
                break;
            case 2:
            {
                var to = rng.Next(lines.Count);
                (lines[at], lines[to]) = (lines[to], lines[at]);
                log.Add($"swap-lines{at},{to}");
                break;
            }

            case 3:
            case 4:
                lines.Insert(at, ConfigLineGenerator.Line(rng));
                log.Add($"insert-line{at}");
                break;
            case 5:
                lines[at] = ConfigLineGenerator.Line(rng);
                log.Add($"replace-line{at}");
                break;
            case 6:
                lines[at] = new string(rng.Next(2) == 0 ? ' ' : '\t', rng.Next(1, 6)) + lines[at];
                log.Add($"indent-line{at}");
                break;
            case 7:
                lines[at] = lines[at].TrimStart();
                log.Add($"dedent-line{at}");
                break;
            default:
                lines[at] += "\\";
                log.Add($"backslash-line{at}");
                break;
        }

        return string.Join('\n', lines);
    }

    private static string MutateChars(string text, string other, Random rng, List<string> log)
    {
        var sb = new StringBuilder(text);
        var at = rng.Next(sb.Length + 1);
        switch (rng.Next(7))
        {
            case 0:
            case 1:
            {
                var n = rng.Next(1, 4);
                for (var i = 0; i < n; i++)
                {
                    sb.Insert(at, rng.Next(4) == 0 ? ConfigLineGenerator.Garbage(rng, 1) : Interesting[rng.Next(Interesting.Length)].ToString());
                }

                log.Add($"insert-chars{n}@{at}");
                break;
            }

            case 2 when sb.Length > 0:
            {
                var length = Math.Min(rng.Next(1, 40), sb.Length - Math.Min(at, sb.Length - 1));
                at = Math.Min(at, sb.Length - 1);
                sb.Remove(at, length);
                log.Add($"delete-chars{length}@{at}");
                break;
            }

            case 3 when sb.Length > 0:
            {
                at = Math.Min(at, sb.Length - 1);
                var length = Math.Min(rng.Next(1, 80), sb.Length - at);
                var span = sb.ToString(at, length);
                var times = rng.Next(10) == 0 ? rng.Next(2, 50) : 1;
                for (var i = 0; i < times; i++)
                {
                    sb.Insert(rng.Next(sb.Length + 1), span);
                }

                log.Add($"dup-chars{length}x{times}");
                break;
            }

            case 4:
                sb.Length = at;
                log.Add($"truncate@{at}");
                break;
            case 5:
            {
                var from = rng.Next(other.Length + 1);
                sb.Length = at;
                sb.Append(other, from, other.Length - from);
                log.Add($"splice@{at}");
                break;
            }

            default:
                if (sb.Length > 0)
                {
                    at = Math.Min(at, sb.Length - 1);
                    sb[at] = Interesting[rng.Next(Interesting.Length)];
                    log.Add($"set-char@{at}");
                }

                break;
        }

        return sb.ToString();
    }
}
