using System.Text.RegularExpressions;
using Megatest.Testing;

namespace Megatest.LogPro.Tests;

/// <summary>Finds every rule text in the shared Megatest areas.</summary>
internal static partial class Corpus
{
    [GeneratedRegex(@"^\[([^\]]+)\]\s*$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^(\S+)(?:[ \t]+(.*))?$")]
    private static partial Regex KeyLine();

    public static IReadOnlyList<CorpusRuleFile> Find()
    {
        var root = TestPaths.SharedAreas;
        var found = new List<CorpusRuleFile>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, file);
            var area = rel.Split(Path.DirectorySeparatorChar)[0];
            if (file.EndsWith(".logpro", StringComparison.Ordinal))
            {
                found.Add(new CorpusRuleFile(area, rel, "", File.ReadAllText(file), 1, []));
            }
            else if (file.EndsWith(".testconfig", StringComparison.Ordinal) || Path.GetFileName(file) == "testconfig")
            {
                found.AddRange(FromTestconfig(area, rel, File.ReadAllLines(file)));
            }
        }

        return found;
    }

    /// <summary>
    /// Extracts each key of each [logpro] section: the key line "NAME text" and the following lines that begin
    /// with whitespace; the text after the key on the first line is part of the rule text.
    /// </summary>
    public static IEnumerable<CorpusRuleFile> FromTestconfig(string area, string rel, string[] lines)
    {
        var steps = new List<string>();
        var section = "";
        foreach (var line in lines)
        {
            var h = SectionHeader().Match(line);
            if (h.Success)
            {
                section = h.Groups[1].Value;
            }
            else if (section == "ezsteps" && KeyLine().Match(line) is { Success: true } k && !line.StartsWith('#'))
            {
                steps.Add(k.Groups[1].Value);
            }
        }

        section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var h = SectionHeader().Match(lines[i]);
            if (h.Success)
            {
                section = h.Groups[1].Value;
                continue;
            }

            if (section != "logpro" || lines[i].Length == 0 || char.IsWhiteSpace(lines[i][0]) || lines[i].StartsWith('#'))
            {
                continue;
            }

            var k = KeyLine().Match(lines[i]);
            var text = new List<string> { k.Groups[2].Value };
            var first = i + 1;
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && char.IsWhiteSpace(lines[i + 1][0]))
            {
                text.Add(lines[++i]);
            }

            yield return new CorpusRuleFile(area, rel, k.Groups[1].Value, string.Join("\n", text) + "\n", first, steps);
        }
    }
}
