using System.Diagnostics;
using System.Text;

namespace Megatest.Testing;

/// <summary>
/// A long-running process (a megatest daemon verb, a monitor, a following -run) whose output lines are
/// collected as they come. Waits are on lines, with time-outs; dispose kills the whole process tree.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _lock = new();

    private DaemonProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>A short name for messages.</summary>
    public string Name { get; }

    /// <summary>Process id.</summary>
    public int Pid => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code (after exit).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output lines so far.</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_lock)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Standard output so far.</summary>
    public string Stdout => string.Join('\n', StdoutLines);

    /// <summary>Standard error so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>Starts the built megatest with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static DaemonProcess StartMegatest(string name, string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        Start(name, MegatestProcess.Executable, workingDirectory, env, args);

    /// <summary>Starts any program (e.g. "ip netns exec NS megatest …").</summary>
    public static DaemonProcess Start(string name, string file, string workingDirectory, IReadOnlyDictionary<string, string>? env, params string[] args)
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
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MT_", StringComparison.Ordinal) || k.StartsWith("MEGATEST_", StringComparison.Ordinal)).ToList())
        {
            if (key != "MEGATEST_EXE" && key != "MEGATEST_SHARED")
            {
                psi.Environment.Remove(key);
            }
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var d = new DaemonProcess(p, name);
        p.OutputDataReceived += (_, e) => d.Add(d._stdout, e.Data);
        p.ErrorDataReceived += (_, e) => d.Add(d._stderr, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return d;
    }

    /// <summary>Lines on standard output and error so far: a mark for <see cref="WaitForLineAsync"/> to look only past.</summary>
    public (int Stdout, int Stderr) LineMark
    {
        get
        {
            lock (_lock)
            {
                return (_stdout.Count, _stderr.Count);
            }
        }
    }

    /// <summary>
    /// Waits for a line on standard output or error that satisfies <paramref name="match"/> (after <paramref name="since"/>,
    /// a <see cref="LineMark"/> taken earlier, when given); returns it.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what, (int Stdout, int Stderr) since = default)
    {
        string? found = null;
        await Wait.UntilAsync(() =>
        {
            lock (_lock)
            {
                found = _stdout.Skip(since.Stdout).Concat(_stderr.Skip(since.Stderr)).FirstOrDefault(match);
            }

            if (found is null && _process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before {what}.\n{this}");
            }

            return found is not null;
        }, timeout, $"{what} from {Name}\n{this}").ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits for "ready: ROLE ENDPOINT…" and returns the first endpoint on it.</summary>
    public async Task<string> WaitReadyAsync(TimeSpan timeout)
    {
        var line = await WaitForLineAsync(l => l.StartsWith("ready: ", StringComparison.Ordinal), timeout, "its ready line").ConfigureAwait(false);
        return line.Split(' ').FirstOrDefault(w => w.StartsWith("tcp://", StringComparison.Ordinal)) ?? "";
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s\n{this}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync().ConfigureAwait(false);
        }

        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"--- {Name} stdout").AppendLine(Stdout).AppendLine($"--- {Name} stderr").AppendLine(Stderr);
        return sb.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            lines.Add(line);
        }
    }
}
