using System.Diagnostics;
using Megatest.Config;
using Megatest.Core;

namespace Megatest.Agent;

/// <summary>
/// [triggers] of a testconfig (SPEC §4.3): on every state/status change the commands whose key is
/// STATE/STATUS, STATE/ or /STATUS start in the background in the run directory, with the test id, the run
/// directory and the key appended as arguments.
/// </summary>
public sealed class Triggers
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _rules;

    /// <summary>Reads the triggers of <paramref name="testConfig"/>.</summary>
    public Triggers(ConfigData testConfig)
    {
        ArgumentNullException.ThrowIfNull(testConfig);
        _rules = testConfig.Section("triggers");
    }

    /// <summary>True when the testconfig has no [triggers]: nothing ever fires.</summary>
    public bool IsEmpty => _rules.Count == 0;

    /// <summary>Starts the commands matching the new state and status; returns how many started.</summary>
    public int Fire(string state, string status, long testId, string runDir, EnvironmentScope env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_rules.Count == 0 || !Directory.Exists(runDir))
        {
            return 0;
        }

        var started = 0;
        foreach (var key in TriggerKeys.For(state, status))
        {
            foreach (var (_, command) in _rules.Where(r => r.Key == key))
            {
                var psi = new ProcessStartInfo("/bin/bash") { WorkingDirectory = runDir, UseShellExecute = false, RedirectStandardInput = true };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add($"{command} {testId} '{runDir.Replace("'", "'\\''", StringComparison.Ordinal)}' '{key}'");
                psi.Environment.Clear();
                foreach (var (k, v) in env.Variables)
                {
                    psi.Environment[k] = v;
                }

                psi.Environment["PWD"] = runDir;

                using var p = Process.Start(psi);
                p?.StandardInput.Close();
                started++;
            }
        }

        return started;
    }
}
