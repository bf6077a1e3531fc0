using System.Diagnostics;

namespace Megatest.Config;

/// <summary>Runs shell commands through <c>/bin/bash -c</c> with an <see cref="EnvironmentScope"/> as the whole environment.</summary>
public static class Shell
{
    /// <summary>
    /// Runs <paramref name="command"/>; returns its exit code and stdout with newlines turned into
    /// single spaces and the end trimmed. A command that cannot be started gives exit code 127.
    /// </summary>
    public static (int ExitCode, string Output) Run(string command, EnvironmentScope env, string workingDirectory)
    {
        var result = RunRaw(command, env, workingDirectory, captureOutput: true);
        return (result.ExitCode, JoinLines(result.Stdout));
    }

    /// <summary>Runs <paramref name="command"/>; returns its exit code and its stdout exactly as printed (for pages and files).</summary>
    public static (int ExitCode, string Output) RunVerbatim(string command, EnvironmentScope env, string workingDirectory)
    {
        var result = RunRaw(command, env, workingDirectory, captureOutput: true);
        return (result.ExitCode, result.Stdout);
    }

    /// <summary>Newlines become single spaces; the end is trimmed.</summary>
    internal static string JoinLines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\n', ' ').TrimEnd();

    /// <summary>Runs a command and returns everything it printed.</summary>
    internal static ShellResult RunRaw(string command, EnvironmentScope env, string workingDirectory, bool captureOutput)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(env);
        var psi = new ProcessStartInfo("/bin/bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? Directory.GetCurrentDirectory() : workingDirectory,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment.Clear();
        foreach (var (key, value) in env.Variables)
        {
            psi.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("process did not start");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new ShellResult(127, string.Empty, ex.Message, TimeSpan.Zero);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var stdout = stdoutTask.GetAwaiter().GetResult();
            var stderr = stderrTask.GetAwaiter().GetResult();
            return new ShellResult(process.ExitCode, captureOutput ? stdout : string.Empty, stderr, watch.Elapsed);
        }
    }
}
