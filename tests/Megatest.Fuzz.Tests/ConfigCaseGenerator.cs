using System.Text;
using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>Makes the config fuzz input of a case seed: grammar-built text or a mutated corpus file, read with varying kinds and targets.</summary>
public sealed class ConfigCaseGenerator
{
    private static readonly ConfigKind[] s_kinds = [ConfigKind.Generic, ConfigKind.MegatestConfig, ConfigKind.RunConfigs, ConfigKind.TestConfig];
    private static readonly string?[] s_targets = [null, "a/b", "x/2/y", "default", "%", "a", "std/0", "simple/0", "SYSTEM_val/RELEASE_val"];
    private readonly string _root;
    private readonly IReadOnlyList<ConfigCorpusFile> _corpus;

    /// <summary>Creates the generator for the fuzz directory <paramref name="root"/> and its corpus copy.</summary>
    public ConfigCaseGenerator(string root, IReadOnlyList<ConfigCorpusFile> corpus)
    {
        _root = root;
        _corpus = corpus;
    }

    /// <summary>The input of case seed <paramref name="caseSeed"/>.</summary>
    public ConfigInput Generate(int caseSeed)
    {
        var rng = new Random(caseSeed);
        if (rng.Next(100) < 55)
        {
            var count = rng.Next(20) == 0 ? rng.Next(30, 150) : rng.Next(1, 30);
            var newline = rng.Next(10) switch { 0 => "\r\n", 1 => "\r", _ => "\n" };
            var sb = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                sb.Append(ConfigLineGenerator.Line(rng));
                if (i < count - 1 || rng.Next(2) == 0)
                {
                    sb.Append(newline);
                }
            }

            var fileName = rng.Next(5) == 0 ? Path.Combine(_root, "sub", "fuzz.config") : Path.Combine(_root, "fuzz.config");
            var kind = s_kinds[rng.Next(s_kinds.Length)];
            return new ConfigInput(sb.ToString(), fileName, kind, s_targets[rng.Next(s_targets.Length)], rng.Next(2) == 0 ? _root : null, $"generated {count} lines");
        }

        var file = _corpus[rng.Next(_corpus.Count)];
        var other = _corpus[rng.Next(_corpus.Count)];
        var log = new List<string>();
        var text = ConfigMutator.Mutate(file.Text, other.Text, rng, log);
        var readAs = rng.Next(5) == 0 ? s_kinds[rng.Next(s_kinds.Length)] : file.Kind;
        return new ConfigInput(text, file.Path, readAs, s_targets[rng.Next(s_targets.Length)], file.AreaHome,
            $"mutated {Path.GetRelativePath(_root, file.Path)}: {string.Join(',', log)}");
    }
}
