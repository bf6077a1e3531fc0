using System.Diagnostics;
using System.Text;

namespace Megatest.Testing;

/// <summary>Starts the built megatest executable as a user would, and collects its output.</summary>
public static class MegatestProcess
{
    /// <summary>Path of the built executable (MEGATEST_EXE overrides).</summary>
    public static string Executable => Environment.GetEnvironmentVariable("MEGATEST_EXE") is { Length: > 0 } exe
        ? exe
        : Path.Combine(TestPaths.RepoRoot, "src", "Megatest.Cli", "bin", BuildConfiguration, "net10.0", "megatest");

    /// <summary>The configuration the tests were built in.</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Runs megatest with <paramref name="args"/> in <paramref name="workingDirectory"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        await RunFileAsync(Executable, workingDirectory, timeout, null, args).ConfigureAwait(false);

    /// <summary>Runs any program; PWD is set to the working directory as a shell would.</summary>
    public static Task<ProcessResult> RunFileAsync(string file, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunWithInputAsync(file, workingDirectory, timeout, null, env, args);

    /// <summary>Runs megatest with <paramref name="stdin"/> typed on its input (then end of input).</summary>
    public static Task<ProcessResult> RunWithInputAsync(string workingDirectory, TimeSpan timeout, string stdin, params string[] args) =>
        RunWithInputAsync(Executable, workingDirectory, timeout, stdin, null, args);

    /// <summary>
    /// How every test starts a program: in <paramref name="workingDirectory"/> with PWD set to it as a shell would, MT_*
    /// variables removed, <paramref name="env"/> added, and its input and outputs redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(string file, string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
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

        return psi;
    }

    /// <summary>Runs any program, typing <paramref name="stdin"/> (when given) on its input before closing it; PWD is the working directory, MT_* variables are removed.</summary>
    public static async Task<ProcessResult> RunWithInputAsync(string file, string workingDirectory, TimeSpan timeout, string? stdin, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var p = Process.Start(StartInfo(file, workingDirectory, env, args)) ?? throw new InvalidOperationException("could not start " + file);
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
                if (stdin is not null)
                {
                    await p.StandardInput.WriteAsync(stdin.AsMemory(), cts.Token).ConfigureAwait(false);
                    await p.StandardInput.FlushAsync(cts.Token).ConfigureAwait(false);
                }

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
