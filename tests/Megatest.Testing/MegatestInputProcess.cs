using System.Diagnostics;
using System.Text;

namespace Megatest.Testing;

/// <summary>Starts a program like <see cref="MegatestProcess"/> does, but types the given text on its standard input first.</summary>
public static class MegatestInputProcess
{
    /// <summary>Runs megatest with <paramref name="stdin"/> as its input (then end of input); kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, string stdin, params string[] args) =>
        await RunFileAsync(MegatestProcess.Executable, workingDirectory, timeout, stdin, null, args).ConfigureAwait(false);

    /// <summary>Runs any program with <paramref name="stdin"/> as its input; PWD is set to the working directory and MT_* variables are removed.</summary>
    public static async Task<ProcessResult> RunFileAsync(string file, string workingDirectory, TimeSpan timeout, string stdin, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["PWD"] = workingDirectory;
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("MT_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            try
            {
                await p.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token).ConfigureAwait(false);
                await p.StandardInput.FlushAsync(cts.Token).ConfigureAwait(false);
                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading all of its input; its exit code tells the rest.
            }

            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        p.WaitForExit();
        return new ProcessResult(p.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
