using System.Diagnostics;
namespace Megatest.Slurm.Tests;

/// <summary>The single-node Slurm the tests need (tools/slurm/start-slurm.sh), and the squeue/scancel calls they make.</summary>
public static class SlurmCluster
{
    /// <summary>Fails (never skips) with what to do when Slurm is not installed or not up.</summary>
    public static void Require()
    {
        var (code, stdout, stderr) = Run("sinfo", "-h", "-o", "%T");
        Assert.True(code == 0 && stdout.Trim().Length > 0 && !stdout.Contains("down", StringComparison.Ordinal),
            $"These tests need a running Slurm: run tools/slurm/start-slurm.sh as root (CI does before dotnet test). sinfo: exit {code} {stdout.Trim()} {stderr.Trim()}");
    }

    /// <summary>Job ids squeue lists now (pending, running or completing).</summary>
    public static HashSet<string> ListedJobs()
    {
        var (code, stdout, stderr) = Run("squeue", "-h", "-o", "%i");
        Assert.True(code == 0, "squeue failed: " + stderr);
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>Cancels a job.</summary>
    public static void Cancel(string jobId)
    {
        var (code, _, stderr) = Run("scancel", jobId);
        Assert.True(code == 0, $"scancel {jobId} failed: {stderr}");
    }

    /// <summary>The end of each Slurm job's output file in <paramref name="directory"/>, for failure messages.</summary>
    public static string JobLogs(string directory) =>
        string.Concat(Directory.GetFiles(directory, "slurm-*.out").Order(StringComparer.Ordinal)
            .Select(f => $"\n--- {Path.GetFileName(f)}\n" + string.Join('\n', File.ReadLines(f).TakeLast(15))));

    /// <summary>Runs a program with a time-out; PATH decides where it is.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (127, "", $"{file} not found ({ex.Message}): Slurm's client commands are not installed");
        }

        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                p.Kill(entireProcessTree: true);
                return (-1, "", file + " timed out");
            }

            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>Waits until none of <paramref name="jobIds"/> is listed by squeue.</summary>
    public static async Task WaitGoneAsync(IReadOnlyCollection<string> jobIds, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (ListedJobs().Overlaps(jobIds))
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: after {timeout.TotalSeconds:0} s jobs {string.Join(",", ListedJobs().Intersect(jobIds))} are still in squeue");
            }

            await Task.Delay(200); // squeue is a request to slurmctld: poll it gently
        }
    }
}
