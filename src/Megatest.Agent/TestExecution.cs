using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Megatest.Config;
using Megatest.Core;
using Megatest.LogPro;
using Megatest.Protocol;
using Microsoft.Extensions.Logging;

namespace Megatest.Agent;

/// <summary>
/// Runs one test or item on this host (SPEC §1.2, §6.5, §8.1): prepares the run directory and the
/// environment, runs the runscript and the ezsteps, checks step logs with the built-in log checker and
/// reports every step and status change as packets.
/// </summary>
public sealed partial class TestExecution
{
    private readonly LaunchTest _launch;
    private readonly IStatusSink _sink;
    private readonly AreaCache _areas;
    private readonly string _megatest;
    private readonly string _inTestEndpoint;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim? _agentStopping;
    private readonly List<Task<Ack>> _sent = [];
    private readonly List<IPacket> _held = [];
    private readonly Lock _lock = new();
    private Process? _current;
    private DirectChild? _direct;
    private string? _killReason;
    private readonly List<(string Step, string Status, string? Comment, string? Log)> _steps = [];
    private volatile bool _selfCompleted;
    private long _started;
    private Triggers? _triggers;
    private EnvironmentScope? _env;
    private string _runDir = "";
    private string _state = States.Launched;
    private string _status = Statuses.NA;
    private Action<TestEnded>? _finishing;

    /// <summary>The kill reason of a test cut short because its agent is stopping.</summary>
    public const string AgentStoppingReason = "agent stopping";

    /// <summary>
    /// How long a step killed by a signal the agent did not send waits to learn whether the agent is being stopped
    /// too: <c>scancel</c> and a terminal's Ctrl-C signal the agent and its tests at the same moment.
    /// </summary>
    private static readonly TimeSpan s_signalGrace = TimeSpan.FromSeconds(2);

    /// <summary>Prepares the execution of <paramref name="launch"/>.</summary>
    /// <param name="agentStopping">Set once the agent hosting this test is stopping (see <see cref="StoppedWithAgent"/>).</param>
    public TestExecution(LaunchTest launch, IStatusSink sink, AreaCache areas, string megatestExecutable, string inTestEndpoint, ILogger logger, ManualResetEventSlim? agentStopping = null)
    {
        _agentStopping = agentStopping;
        _launch = launch;
        _sink = sink;
        _areas = areas;
        _megatest = megatestExecutable;
        _inTestEndpoint = inTestEndpoint;
        _logger = logger;
    }

    /// <summary>
    /// True when the test was cut short because its agent is stopping. Its end is then not the test's result: the agent
    /// leaves it to the coordinator, which sees the agent go and runs the test again per <c>[setup] reruns</c>.
    /// </summary>
    public bool StoppedWithAgent
    {
        get
        {
            lock (_lock)
            {
                return _killReason == AgentStoppingReason;
            }
        }
    }

    /// <summary>
    /// Called on the test's thread as soon as its processes have ended, before its last statuses are acknowledged, with the
    /// TestEnded that follows once they are (only for a launch that asked for it: <see cref="LaunchTest.FinishingEnds"/>).
    /// </summary>
    public void OnFinishing(Action<TestEnded> finishing) => _finishing = finishing;

    /// <summary>
    /// With a secured agent: the key pair made for this test alone, whose secret half its processes get in
    /// <see cref="CmdInfo.KeyVariable"/>, and the public key of the agent's in-test endpoint; null on a plain agent.
    /// </summary>
    public InTestKeys? Keys { get; init; }

    /// <summary>True when <paramref name="testId"/> is this execution's test (or, for an item, its toplevel: -set-toplog).</summary>
    public bool Owns(long testId) => testId == _launch.TestId || (testId != 0 && testId == _launch.ToplevelTestId);

    /// <summary>
    /// True when a process of this test may send <paramref name="packet"/>: a Step or TestData of its own test id, a
    /// StatusChange of its own id or of its toplevel (see <see cref="Owns"/>), or a TestMetaUpdate of its own test name.
    /// </summary>
    public bool MayReport(IPacket packet) => packet switch
    {
        Step s => s.TestId == _launch.TestId,
        StatusChange s => Owns(s.TestId),
        TestData d => d.TestId == _launch.TestId,
        TestMetaUpdate m => m.TestName == _launch.TestName,
        _ => false,
    };

    /// <summary>"NAME/ITEM (id N)", for log lines.</summary>
    public string Describe() => $"{_launch.TestName}/{_launch.ItemPath} (id {_launch.TestId})";

    /// <summary>Sees a packet a test process sent about itself (e.g. a runscript setting COMPLETED).</summary>
    public void Observe(IPacket packet)
    {
        if (packet is StatusChange { TestId: var id } && id != _launch.TestId)
        {
            return; // about the toplevel (-set-toplog), not this item
        }

        if (packet is StatusChange { State: States.Completed })
        {
            _selfCompleted = true;
        }

        if (packet is StatusChange change)
        {
            Changed(change);
        }
    }

    /// <summary>Kills the whole process tree of the running step; the test ends KILLED.</summary>
    public void Kill(string reason)
    {
        lock (_lock)
        {
            _killReason ??= reason;
            try
            {
                if (_current is { HasExited: false } p)
                {
                    p.Kill(entireProcessTree: true);
                }

                _direct?.KillTree();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // it ended on its own meanwhile
            }
        }
    }

    /// <summary>Reports a test that could not run at all (INCOMPLETE, with the reason as comment).</summary>
    public TestEnded Abandon(string message)
    {
        Send(new StatusChange { TestId = _launch.TestId, State = States.Incomplete, Status = Statuses.Fail, Comment = Trim(message) });
        WaitForAcks();
        return Ended(States.Incomplete, Statuses.Fail, -1);
    }

    /// <summary>Runs the test to its end and returns the TestEnded packet for the coordinator.</summary>
    public TestEnded Run()
    {
        _started = Now();
        if (_launch.Attempt > 1)
        {
            Send(new Step { TestId = _launch.TestId, StepName = $"attempt-{_launch.Attempt}", State = "start", Status = "-", EventTime = _started, Comment = "run again after a system failure ([setup] reruns)" });
        }

        var area = _areas.Get(_launch.AreaPath, _launch.Target);
        var env = area.Environment.Clone();
        foreach (var (k, v) in _launch.SetVars)
        {
            env.Set(k, v);
        }

        SetItemVars(env);
        env.Set("MT_TEST_NAME", _launch.TestName);
        env.Set("MT_ITEMPATH", _launch.ItemPath);
        env.Set("MT_RUNNAME", _launch.RunName);
        env.Set("MT_TARGET", _launch.Target);
        var testDir = area.FindTestDirectory(_launch.TestName)
            ?? throw new InvalidOperationException($"test '{_launch.TestName}' has no testconfig in {string.Join(", ", area.TestsDirectories)}");
        var tc = area.ReadTestConfig(_launch.TestName, env);
        foreach (var (k, v) in tc.Section("pre-launch-env-overrides"))
        {
            env.Set(k, ConfigReader.EchoEvaluate(v, env, testDir));
        }

        SetItemVars(env); // item variables win over anything the testconfig exported
        _triggers = new Triggers(tc);
        var dirs = RunDirectories.Create(area, tc, testDir, _launch.Target, _launch.RunName, _launch.TestName, _launch.ItemPath);
        if (_launch.Preclean)
        {
            Clean(dirs.PhysicalDir);
        }

        Populate(area, testDir, dirs, env);
        SetTestEnvironment(area, env, dirs, testDir);
        WriteLogProFiles(tc, dirs.LinkDir);
        WriteEnvFiles(env, dirs.LinkDir);
        _env = env;
        _runDir = dirs.LinkDir;

        Send(new StatusChange
        {
            TestId = _launch.TestId,
            State = States.RemoteHostStart,
            Status = Statuses.NA,
            Host = Environment.MachineName,
            Uname = Uname(),
            RunDir = dirs.LinkDir,
            ShortDir = dirs.PhysicalDir,
            EventTime = _started,
        });

        var limit = RunTimeLimit(area, tc);
        using var timer = limit > 0 ? new Timer(_ => Kill($"run time limit of {limit} s exceeded"), null, TimeSpan.FromSeconds(limit), Timeout.InfiniteTimeSpan) : null;
        var (state, status, code) = RunBody(area, tc, testDir, dirs, env);
        if (_killReason is not null)
        {
            Send(new StatusChange { TestId = _launch.TestId, State = States.Killed, Status = Statuses.Killed, Comment = Trim(_killReason), RunDuration = Now() - _started });
            WaitForAcks();
            return Ended(States.Killed, Statuses.Killed, -1);
        }

        if (state == States.Completed && status == Statuses.Fail && _launch.WaiverRunDir.Length > 0 && Waivers.Apply(tc, dirs.LinkDir, _launch.WaiverRunDir, env))
        {
            status = Statuses.Waived;
            Send(new StatusChange { TestId = _launch.TestId, State = state, Status = status, Comment = _launch.WaiverComment });
        }

        if (!_selfCompleted && state is not null)
        {
            Send(new StatusChange { TestId = _launch.TestId, State = state, Status = status, RunDuration = Now() - _started });
        }
        else
        {
            Send(new StatusChange { TestId = _launch.TestId, RunDuration = Now() - _started });
        }

        if (_launch.FinishingEnds && _finishing is { } finishing)
        {
            // Nothing of the test runs any more: its slot can take the next test while the db writer commits these statuses.
            Flush();
            var early = Ended(state ?? States.Completed, status ?? Statuses.Pass, code);
            early.Finishing = true;
            finishing(early);
        }

        WaitForAcks();
        TestSummary.Write(dirs.LinkDir, _launch.TestName, _launch.ItemPath, _state, _status, null, _steps);
        return Ended(state ?? States.Completed, status ?? Statuses.Pass, code);
    }

    private (string? State, string? Status, int Code) RunBody(AreaConfig area, ConfigData tc, string testDir, RunDirectories dirs, EnvironmentScope env)
    {
        var rollupCode = 0;
        var runscript = tc.Get("setup", "runscript");
        Send(new StatusChange { TestId = _launch.TestId, State = States.Running });
        if (!string.IsNullOrWhiteSpace(runscript))
        {
            var script = ResolveRunscript(runscript.Trim(), testDir);
            rollupCode = RunProcess(Quote(script), dirs.LinkDir, env, null);
            if (_killReason is not null)
            {
                return (null, null, -1);
            }
        }

        var steps = tc.Section("ezsteps");
        if (steps.Count == 0)
        {
            var auto = false;
            return (States.Completed, StepResults.StatusForRollupCode(rollupCode, auto), rollupCode);
        }

        var combined = rollupCode == 0 ? Statuses.Pass : StepResults.StatusForRollupCode(rollupCode, false);
        var ezEnv = env.Clone();
        ezEnv.Set("PATH", (ezEnv.Get("PATH") ?? "/usr/bin:/bin") + ":.");
        var lastCode = 0;
        string[]? direct = null; // the environment of steps run without a shell, made once for all steps
        for (var i = 0; i < steps.Count; i++)
        {
            var (name, rawCommand) = steps[i];
            var command = StepPrefix().Replace(rawCommand, "", 1);
            Send(new Step { TestId = _launch.TestId, StepName = name, State = "start", Status = "-", EventTime = Now() });
            var log = name + ".log";
            var code = RunStep(command, log, dirs.LinkDir, ezEnv, ref direct, name);
            if (_killReason is not null)
            {
                Send(new Step { TestId = _launch.TestId, StepName = name, State = "end", Status = code.ToString(CultureInfo.InvariantCulture), EventTime = Now(), Comment = "killed", LogFile = log });
                return (null, null, -1);
            }

            var rules = Path.Combine(dirs.LinkDir, name + ".logpro");
            var usedLogPro = File.Exists(rules);
            string? comment = null;
            var logFile = log;
            if (usedLogPro)
            {
                (code, comment) = CheckLog(name, rules, dirs.LinkDir);
                logFile = name + ".html";
                Send(new StatusChange { TestId = _launch.TestId, FinalLogf = logFile });
            }

            lastCode = code;
            _steps.Add((name, code.ToString(CultureInfo.InvariantCulture), comment, logFile));
            Send(new Step { TestId = _launch.TestId, StepName = name, State = "end", Status = code.ToString(CultureInfo.InvariantCulture), EventTime = Now(), Comment = comment, LogFile = logFile });
            var stepStatus = StepResults.StatusForExit(code, usedLogPro);
            combined = StepResults.Combine(combined, stepStatus);
            var last = i == steps.Count - 1;
            if (combined == Statuses.Fail)
            {
                var why = $"Failed at step {name}";
                Send(new StatusChange { TestId = _launch.TestId, State = States.Completed, Status = Statuses.Fail, Comment = why });
                return (States.Completed, Statuses.Fail, code);
            }

            if (!StepResults.ContinuesAfter(code, usedLogPro))
            {
                return (States.Completed, combined, code);
            }

            if (!last)
            {
                Send(new StatusChange { TestId = _launch.TestId, State = States.Running, Status = combined });
            }
        }

        return (States.Completed, combined, lastCode);
    }

    private (int Code, string Comment) CheckLog(string step, string rulesPath, string runDir)
    {
        var html = Path.Combine(runDir, step + ".html");
        CheckResult result;
        try
        {
            var rules = RuleSet.Load(rulesPath);
            using var input = new StreamReader(Path.Combine(runDir, step + ".log"));
            using var annotated = new StreamWriter(Path.Combine(runDir, step + "_logpro.log"));
            result = new LogChecker(rules).Run(input, annotated, html);
        }
        catch (LogProSyntaxException ex)
        {
            return (1, "FAIL: " + ex.Message);
        }
        catch (IOException ex)
        {
            return (1, "FAIL: " + ex.Message);
        }

        var rows = result.Rules.Select(r => new TestDataItem
        {
            Category = step,
            Variable = "rule-" + r.Index.ToString(CultureInfo.InvariantCulture),
            Value = r.Measured,
            Expected = r.Expected,
            Tol = r.Tolerance,
            Comment = r.Description,
            Status = r.Passed ? "OK" : "FAIL",
            Type = r.Type,
        }).ToList();
        rows.Add(new TestDataItem
        {
            Category = step,
            Variable = "final",
            Value = result.ExitCode.ToString(CultureInfo.InvariantCulture),
            Comment = string.Join("; ", result.Messages),
            Status = result.Status,
            Type = "logpro",
        });
        Send(new TestData { TestId = _launch.TestId, Rows = [.. rows], Rollup = false });
        return (result.ExitCode, result.Comment);
    }

    /// <summary>
    /// The variables a process of this test starts with, however it is started (bash or directly): the step's
    /// environment plus, on a secured agent, the test's own in-test key, which is never written to megatest.sh.
    /// </summary>
    private IEnumerable<KeyValuePair<string, string>> ProcessVariables(EnvironmentScope env) =>
        Keys is { } keys ? env.Variables.Append(new(CmdInfo.KeyVariable, keys.Secret)) : env.Variables;

    /// <summary>
    /// Runs one ezstep with its output in <paramref name="log"/>: a simple command (<see cref="SimpleCommand"/>) by
    /// starting its program directly, as bash would, anything else with bash.
    /// </summary>
    private int RunStep(string command, string log, string cwd, EnvironmentScope env, ref string[]? directEnv, string step)
    {
        if (SimpleCommand.Words(command) is { } words
            && SimpleCommand.Resolve(words[0], env.Get("PATH") ?? "", cwd) is { } program
            && (directEnv ??= DirectEnvironment(env, cwd)).Length > 0
            && RunDirect(program, words, [.. directEnv, "_=" + program], cwd, log, step) is { } code)
        {
            return code;
        }

        return RunProcess("{ " + command + "\n} > " + Quote(log) + " 2>&1", cwd, env, step);
    }

    /// <summary>
    /// The environment bash hands the program of a simple command (less <c>_</c>, the program's path): the step's
    /// process environment (<see cref="ProcessVariables"/>) with PWD and SHLVL as bash sets them. Empty when bash would do
    /// more than run the command.
    /// </summary>
    private string[] DirectEnvironment(EnvironmentScope env, string cwd)
    {
        var variables = ProcessVariables(env).Where(kv => kv.Key is not ("PWD" or "SHLVL" or "_")).ToList();
        if (SimpleCommand.EnvironmentNeedsShell(variables))
        {
            return [];
        }

        var level = env.Get("SHLVL");
        var shlvl = 1;
        if (level is not null && (!int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out shlvl) || shlvl >= 999))
        {
            return []; // bash's own rules for odd values; not worth copying
        }

        return [.. variables.Select(kv => kv.Key + "=" + kv.Value), "PWD=" + cwd, "SHLVL=" + (level is null ? 1 : shlvl + 1).ToString(CultureInfo.InvariantCulture)];
    }

    /// <summary>Runs a program without a shell; null when it could not be started (the caller then uses bash).</summary>
    private int? RunDirect(string program, string[] words, string[] environment, string cwd, string log, string step)
    {
        DirectChild? child;
        lock (_lock)
        {
            if (_killReason is not null)
            {
                return -1;
            }

            child = DirectChild.TryStart(program, words, environment, cwd, log);
            if (child is null)
            {
                return null;
            }

            _direct = child;
        }

        SendPid(child.Pid);
        var (code, signal, core) = child.Wait(() =>
        {
            lock (_lock)
            {
                _direct = null;
            }
        });
        code = Exited(code, step);
        if (signal != 0 && _killReason is null)
        {
            BashSignalReport(Path.Combine(cwd, log), child.Pid, signal, core, words);
        }

        return code;
    }

    /// <summary>
    /// What bash writes into the step's log when the command it ran died of a signal it did not itself receive
    /// (as /bin/bash, its name as the agent starts it; nothing for SIGINT and SIGPIPE, "Terminated" for SIGTERM, else the pid, the signal's description padded to 24
    /// columns and the command), so that a log is the same with or without the shell.
    /// </summary>
    private static void BashSignalReport(string logPath, int pid, int signal, bool core, string[] words)
    {
        const int SigInt = 2, SigPipe = 13, SigTerm = 15;
        var line = signal switch
        {
            SigInt or SigPipe => null,
            SigTerm => "Terminated",
            _ => string.Create(CultureInfo.InvariantCulture, $"/bin/bash: line 2: {pid,5} {(DirectChild.Describe(signal) + (core ? " (core dumped)" : "")).PadRight(24)}{string.Join(' ', words)}"),
        };
        if (line is not null)
        {
            File.AppendAllText(logPath, line + "\n");
        }
    }

    private int RunProcess(string bashCommand, string cwd, EnvironmentScope env, string? step)
    {
        var psi = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = cwd,
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(bashCommand);
        psi.Environment.Clear();
        foreach (var (k, v) in ProcessVariables(env))
        {
            psi.Environment[k] = v;
        }

        psi.Environment["PWD"] = cwd; // as after `cd`: the work area seen through the link tree

        Process p;
        lock (_lock)
        {
            if (_killReason is not null)
            {
                return -1;
            }

            p = Process.Start(psi) ?? throw new InvalidOperationException("could not start /bin/bash");
            _current = p;
        }

        using (p)
        {
            p.StandardInput.Close();
            SendPid(p.Id);
            p.WaitForExit();
            lock (_lock)
            {
                _current = null;
            }

            return Exited(p.ExitCode, step);
        }
    }

    private int Exited(int code, string? step)
    {
        _logger.LogDebug("{Test}/{Item} {Step} exited {Code}", _launch.TestName, _launch.ItemPath, step ?? "runscript", code);
        if (KilledBySignal(code) && _killReason is null && _agentStopping is not null && _agentStopping.Wait(s_signalGrace))
        {
            lock (_lock)
            {
                _killReason ??= AgentStoppingReason;
            }
        }

        return code;
    }

    private void Populate(AreaConfig area, string testDir, RunDirectories dirs, EnvironmentScope env)
    {
        var launchLog = Path.Combine(dirs.PhysicalDir, "mt_launch.log");
        var copyCmd = area.Megatest.Section("testcopy")
            .Where(r => TestPattern.Parse(r.Key).Matches(_launch.TestName, _launch.ItemPath))
            .Select(r => r.Value.Replace("SRC", "TEST_SRC_PATH", StringComparison.Ordinal).Replace("DEST", "TEST_TARG_PATH", StringComparison.Ordinal))
            .FirstOrDefault()
            ?? area.Megatest.Get("setup", "testcopycmd");
        if (!string.IsNullOrWhiteSpace(copyCmd))
        {
            var cmd = copyCmd.Replace("TEST_SRC_PATH", testDir, StringComparison.Ordinal).Replace("TEST_TARG_PATH", dirs.PhysicalDir, StringComparison.Ordinal);
            File.AppendAllText(launchLog, "testcopycmd: " + cmd + "\n");
            var (exit, _) = Shell.Run(cmd, env, area.TopPath);
            if (exit != 0)
            {
                throw new InvalidOperationException($"testcopycmd exited {exit}: {cmd}");
            }

            return;
        }

        File.AppendAllText(launchLog, $"copy {testDir}/ -> {dirs.PhysicalDir}/\n");
        CopyTree(testDir, dirs.PhysicalDir);
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, dest, overwrite: true);
            File.SetUnixFileMode(dest, File.GetUnixFileMode(file) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void Clean(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo d && d.LinkTarget is null)
            {
                d.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    private void SetItemVars(EnvironmentScope env)
    {
        foreach (var (k, v) in _launch.ItemVars)
        {
            env.Set(k, v);
        }
    }

    private void SetTestEnvironment(AreaConfig area, EnvironmentScope env, RunDirectories dirs, string testDir)
    {
        var cmdInfo = new CmdInfo
        {
            AgentEndpoint = _inTestEndpoint,
            AgentKey = Keys?.AgentKey ?? "",
            RunId = _launch.RunId,
            TestId = _launch.TestId,
            ToplevelTestId = _launch.ToplevelTestId,
            TestName = _launch.TestName,
            ItemPath = _launch.ItemPath,
            RunDir = dirs.LinkDir,
            TestPath = testDir,
            TopPath = area.TopPath,
            Target = _launch.Target,
            RunName = _launch.RunName,
        };
        env.Set("MT_CMDINFO", cmdInfo.Encode());
        env.Set(CmdInfo.KeyVariable, null); // given only to the processes themselves (RunProcess, triggers), never written to megatest.sh
        env.Set("MT_RUN_AREA_HOME", area.TopPath);
        env.Set("MT_TESTSUITENAME", env.Get("MT_TESTSUITENAME") ?? Path.GetFileName(area.TopPath));
        env.Set("MT_TEST_RUN_DIR", dirs.LinkDir);
        env.Set("MT_LINKTREE", area.LinkTree);
        env.Set("MT_RUNPATH", Path.Combine(area.LinkTree, _launch.Target, _launch.RunName));
        env.Set("MT_MEGATEST", _megatest);
        env.Set("MT_ITEM_INFO", "(" + string.Concat(_launch.ItemVars.Select(kv => $"({kv.Key} {kv.Value})")) + ")");
        var bin = Path.GetDirectoryName(_megatest);
        if (!string.IsNullOrEmpty(bin))
        {
            env.Set("PATH", (env.Get("PATH") ?? "/usr/bin:/bin") + ":" + bin);
        }

        var keys = TargetKeys.Split(_launch.Target, area.Keys);
        for (var i = 0; i < keys.Length; i++)
        {
            env.Set(area.Keys[i], keys[i]);
        }

        SetItemVars(env);
    }

    private static void WriteLogProFiles(ConfigData tc, string runDir)
    {
        foreach (var (step, rules) in tc.Section("logpro"))
        {
            var path = Path.Combine(runDir, step + ".logpro");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, rules + "\n");
            }
        }
    }

    private static void WriteEnvFiles(EnvironmentScope env, string runDir)
    {
        var sh = new StringBuilder();
        var csh = new StringBuilder();
        foreach (var (k, v) in env.Variables.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!ValidName().IsMatch(k))
            {
                continue;
            }

            var quoted = "'" + v.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
            sh.Append("export ").Append(k).Append('=').Append(quoted).Append('\n');
            csh.Append("setenv ").Append(k).Append(' ').Append(quoted).Append('\n');
        }

        File.WriteAllText(Path.Combine(runDir, "megatest.sh"), sh.ToString());
        File.WriteAllText(Path.Combine(runDir, "megatest.csh"), csh.ToString());
    }

    private int RunTimeLimit(AreaConfig area, ConfigData tc)
    {
        if (_launch.RunTimeLimitSeconds > 0)
        {
            return _launch.RunTimeLimitSeconds;
        }

        var spec = tc.Get("requirements", "runtimelim") ?? area.Megatest.Get("setup", "runtimelim");
        return DurationSpec.ParseSeconds(spec) ?? 0;
    }

    private static string ResolveRunscript(string runscript, string testDir)
    {
        if (runscript.Contains('/', StringComparison.Ordinal))
        {
            return runscript;
        }

        var local = Path.Combine(testDir, runscript);
        if (File.Exists(local))
        {
            var mode = File.GetUnixFileMode(local);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(local, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
            }

            return "./" + runscript;
        }

        return runscript;
    }

    /// <summary>
    /// Queues <paramref name="packet"/>; queued packets leave together at the next <see cref="Flush"/>: once a process of
    /// the test has started, before waiting for acks and when the test's processes have ended. A test's start (its
    /// REMOTEHOSTSTART, RUNNING, step start and pid) and its end (step end, COMPLETED) then reach the db writer as one
    /// burst each, usually one transaction (issue #9), and nothing waits in the queue while a process of the test runs.
    /// </summary>
    private void Send(IPacket packet)
    {
        if (packet is StatusChange change)
        {
            Changed(change);
        }

        lock (_sent)
        {
            _held.Add(packet);
        }
    }

    /// <summary>
    /// Sends the pid of the test's process that has just started, together with everything queued: in the queued
    /// RUNNING when that has not left yet (one packet fewer per test), else on its own.
    /// </summary>
    private void SendPid(int pid)
    {
        lock (_sent)
        {
            var running = _held.FindIndex(p => p is StatusChange { State: States.Running, AttemptNum: null } s && s.TestId == _launch.TestId);
            if (running >= 0)
            {
                _held[running] = ((StatusChange)_held[running]) with { AttemptNum = pid };
            }
            else
            {
                _held.Add(new StatusChange { TestId = _launch.TestId, AttemptNum = pid });
            }
        }

        Flush();
    }

    private void Flush()
    {
        lock (_sent)
        {
            if (_held.Count == 0)
            {
                return;
            }

            _sent.AddRange(_sink.SendAllAsync([.. _held]));
            _held.Clear();
        }
    }

    private void Changed(StatusChange change)
    {
        if (change.State is null && change.Status is null)
        {
            return;
        }

        lock (_lock)
        {
            _state = change.State ?? _state;
            _status = change.Status ?? _status;
        }

        if (_env is not null && _triggers is { IsEmpty: false })
        {
            var env = _env.Clone();
            env.Set("MT_TEST_NAME", _launch.TestName);
            env.Set("MT_TEST_RUN_DIR", _runDir);
            env.Set("MT_ITEMPATH", _launch.ItemPath);
            env.Set(CmdInfo.KeyVariable, Keys?.Secret);
            _triggers.Fire(_state, _status, _launch.TestId, _runDir, env);
        }
    }

    private void WaitForAcks()
    {
        Flush();
        Task<Ack>[] all;
        lock (_sent)
        {
            all = [.. _sent];
        }

        Task.WaitAll(all);
    }

    /// <summary>Bash reports a command that a signal ended as 128 plus the signal number; so does .NET for bash itself.</summary>
    private static bool KilledBySignal(int code) => code is > 128 and <= 128 + 64;

    private TestEnded Ended(string state, string status, int code) =>
        new() { RunId = _launch.RunId, TestId = _launch.TestId, State = state, Status = status, ExitCode = code };

    private static string Uname() => s_uname.Value;

    private static readonly Lazy<string> s_uname = new(ReadUname);

    private static string ReadUname()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/ostype").Trim() + " " + Environment.MachineName + " " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.ToString();
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Trim(string s) => s.Length > 1000 ? s[..1000] : s;

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [GeneratedRegex(@"^\s*\{[^}]*\}\s*")]
    private static partial Regex StepPrefix();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ValidName();
}
