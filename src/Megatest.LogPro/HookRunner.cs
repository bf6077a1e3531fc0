using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Megatest.LogPro;

/// <summary>Expands <c>#{name}</c> / <c>#{escaped name}</c> in hook commands and runs them with /bin/sh -c.</summary>
internal static partial class HookRunner
{
    [GeneratedRegex(@"#\{\s*(escaped\s+)?([A-Za-z0-9_-]+)\s*\}")]
    private static partial Regex Placeholder();

    /// <summary>Substitutes variables; unknown names are left untouched.</summary>
    public static string Expand(string template, IReadOnlyDictionary<string, string> vars) =>
        Placeholder().Replace(template, m =>
        {
            if (!vars.TryGetValue(m.Groups[2].Value, out var value))
            {
                return m.Value;
            }

            return m.Groups[1].Success ? ShellQuote(value) : value;
        });

    /// <summary>Single-quotes a string for the POSIX shell.</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Runs the command and waits for it; its output is discarded so the annotated log stays clean.</summary>
    public static void Run(string command)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        try
        {
            using var p = Process.Start(psi);
            if (p is null)
            {
                return;
            }

            p.StandardInput.Close();
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            err.Wait();
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No shell: hooks are best effort and never change the verdict.
        }
    }
}
