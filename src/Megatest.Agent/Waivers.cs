using Megatest.Config;

namespace Megatest.Agent;

/// <summary>
/// Waiver propagation (SPEC §4.4): a test that FAILs, whose previous run of the same target ended WAIVED,
/// becomes WAIVED when every [waivers] rule holds between this run directory and the previous one.
/// A rule is "NAME RULE GLOB"; its command is [waiver_rules] RULE if defined, else
/// `diff %file1% %file2% | logpro NAME.logpro NAME.html` when NAME.logpro exists, else `diff %file1% %file2%`.
/// </summary>
public static class Waivers
{
    /// <summary>True when all rules hold (each command exits 0) for every file the glob names.</summary>
    public static bool Apply(ConfigData testConfig, string runDir, string previousRunDir, EnvironmentScope env)
    {
        ArgumentNullException.ThrowIfNull(testConfig);
        ArgumentNullException.ThrowIfNull(env);
        var rules = testConfig.Section("waivers");
        if (rules.Count == 0 || !Directory.Exists(previousRunDir))
        {
            return false;
        }

        foreach (var (name, spec) in rules)
        {
            var parts = spec.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                return false;
            }

            var (rule, glob) = (parts[0], parts[1].Trim());
            var files = Directory.GetFiles(runDir, glob);
            if (files.Length == 0)
            {
                return false;
            }

            foreach (var file1 in files)
            {
                var file2 = Path.Combine(previousRunDir, Path.GetRelativePath(runDir, file1));
                var template = testConfig.Get("waiver_rules", rule)
                    ?? (File.Exists(Path.Combine(runDir, name + ".logpro"))
                        ? $"diff %file1% %file2% | \"$MT_MEGATEST\" -logpro {name}.logpro {name}.html"
                        : "diff %file1% %file2%");
                var command = template
                    .Replace("%file1%", Quote(file1), StringComparison.Ordinal)
                    .Replace("%file2%", Quote(file2), StringComparison.Ordinal)
                    .Replace("%waivername%", name, StringComparison.Ordinal);
                if (Shell.Run(command, env, runDir).ExitCode != 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
