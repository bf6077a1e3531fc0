using System.Diagnostics;

namespace Megatest.Cli;

/// <summary>
/// Starts a daemon verb of this executable in a session of its own (setsid), its output appended to a log file,
/// so it outlives the command that started it; waits for its ready line.
/// </summary>
public static class DetachedDaemon
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts <c>megatest VERB ARGS…</c>; returns its process id and the rest of its <c>ready: VERB …</c> line.</summary>
    /// <exception cref="UsageException">It exited or printed no ready line in time (the message holds the log's end).</exception>
    public static (int Pid, string Ready) Start(string logFile, string verb, params string[] args)
    {
        var exe = Environment.ProcessPath ?? throw new UsageException("cannot tell which megatest executable is running");
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        // The shell only redirects: the program and every argument are passed as positional parameters, never parsed.
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var word in new[] { "sh", "-c", "exec \"$0\" \"$@\" >>\"$HOMEHOST_LOG\" 2>&1 </dev/null", exe, verb }.Concat(args))
        {
            psi.ArgumentList.Add(word);
        }

        psi.Environment["HOMEHOST_LOG"] = logFile;
        using var process = Process.Start(psi) ?? throw new UsageException($"could not start megatest {verb}");
        var prefix = $"ready: {verb} ";
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var ready = File.Exists(logFile)
                ? ReadShared(logFile).Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
                : null;
            if (ready is not null)
            {
                return (process.Id, ready[prefix.Length..].Trim());
            }

            if (process.WaitForExit(100))
            {
                break;
            }
        }

        var tail = File.Exists(logFile) ? string.Join("\n", ReadShared(logFile).Split('\n').TakeLast(5)) : "";
        throw new UsageException($"megatest {verb} did not get ready (log {logFile}):\n{tail}");
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
