using System.Diagnostics;
using System.Text;

namespace Megatest.Scheduling;

/// <summary>Runs Slurm's client commands (sbatch, squeue, scancel) with a time-out and returns what they print.</summary>
public class SlurmCommands
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>; returns exit code, standard output and standard error.</summary>
    public virtual (int ExitCode, string Stdout, string Stderr) Run(string command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(command)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + command);
        p.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(s_timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {s_timeout.TotalSeconds:0} s");
        }

        p.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return (p.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }
}
