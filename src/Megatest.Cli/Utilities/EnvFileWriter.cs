namespace Megatest.Cli.Utilities;

/// <summary>
/// -env2file NAME: writes the current environment to NAME.sh (export lines) and NAME.csh (setenv lines).
/// Variables tied to the user's session (USER, HOME, DISPLAY …) are written commented out so that sourcing
/// the files elsewhere does not clobber them.
/// </summary>
internal static class EnvFileWriter
{
    /// <summary>Variables written as comments.</summary>
    public static readonly IReadOnlySet<string> CommentedOut = new HashSet<string>(StringComparer.Ordinal)
    {
        "USER", "LOGNAME", "HOME", "DISPLAY", "LS_COLORS", "XKEYSYMDB", "EDITOR", "MAKEFLAGS", "MAKEF", "MAKEOVERRIDES",
        "PWD", "OLDPWD", "SHLVL", "_",
    };

    /// <summary>Writes NAME.sh and NAME.csh; returns the two paths.</summary>
    public static (string Sh, string Csh) Write(string name, IReadOnlyDictionary<string, string> environment)
    {
        var sh = name + ".sh";
        var csh = name + ".csh";
        var vars = environment.Where(kv => ShellQuoting.IsVariableName(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        using (var w = new StreamWriter(sh))
        {
            w.NewLine = "\n";
            w.WriteLine("# Environment captured by megatest -env2file; source it from bash or sh.");
            foreach (var (k, v) in vars)
            {
                w.WriteLine(Line(k, $"export {k}={ShellQuoting.Bash(v)}"));
            }
        }

        using (var w = new StreamWriter(csh))
        {
            w.NewLine = "\n";
            w.WriteLine("# Environment captured by megatest -env2file; source it from csh or tcsh.");
            foreach (var (k, v) in vars)
            {
                w.WriteLine(Line(k, $"setenv {k} {ShellQuoting.Csh(v)}"));
            }
        }

        return (sh, csh);
    }

    /// <summary>The current process environment.</summary>
    public static Dictionary<string, string> ProcessEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = e.Value as string ?? "";
        }

        return env;
    }

    private static string Line(string name, string line) =>
        CommentedOut.Contains(name) ? "# " + line.Replace("\n", "\n# ", StringComparison.Ordinal) : line;
}
