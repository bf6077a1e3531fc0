using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Megatest.Agent;
using Megatest.LogPro;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Cli;

/// <summary>
/// Commands a running test calls as $MT_MEGATEST (SPEC §7.1 "Test helpers"): each sends a status packet to
/// the local agent, which forwards it to the db writer and answers once it is committed.
/// Exit codes: 5 outside a test, 6 when :state or :status is missing, 1 when the agent refuses.
/// When the agent's in-test endpoint is secured (<see cref="CmdInfo.AgentKey"/> set), the command connects over CURVE and
/// proves the test's own key (<see cref="CmdInfo.KeyVariable"/>) with an AuthHello before its packets.
/// </summary>
public static class InTestCommands
{
    private static readonly TimeSpan s_ackTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_refusalCheck = TimeSpan.FromMilliseconds(200);

    /// <summary>True when the command line asks for an in-test command.</summary>
    public static bool Applies(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Has("-step") || args.Has("-test-status") || args.Has("-runstep") || args.Has("-load-test-data")
            || args.Has("-set-toplog") || args.Has("-summarize-items")
            || args.Has("-set-values") || args.Has("-show-cmdinfo") || args.Has("-setlog") || (args.Has("-m") && !args.Has("-run") && !RunManagementCommands.Applies(args) && !ControlCommands.Applies(args));
    }

    /// <summary>Runs the in-test command.</summary>
    public static int Execute(CliArgs args, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var info = CmdInfo.Decode(Environment.GetEnvironmentVariable("MT_CMDINFO"))
            ?? throw new UsageException("this command works only inside a running test (MT_CMDINFO is not set)", 5);
        if (args.Has("-show-cmdinfo"))
        {
            output.WriteLine(JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        var packets = new List<IPacket>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var comment = args.Get("-m");
        if (args.Has("-step"))
        {
            var (state, status) = StateAndStatus(args);
            WarnUnlistedValues(info, state, status);
            packets.Add(new Step { TestId = info.TestId, StepName = args.Get("-step")!, State = state, Status = status, EventTime = now, Comment = comment, LogFile = args.Get("-setlog") });
        }
        else if (args.Has("-test-status"))
        {
            var (state, status) = StateAndStatus(args);
            if (int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            {
                status = code == 0 ? "PASS" : "FAIL";
            }

            if (args.Get(":value") is { } value && args.Get(":expected") is { } expected && args.Get(":tol") is { } tol)
            {
                packets.Add(new TestData { TestId = info.TestId, Rows = [DataRow(args, value, expected, tol)], Rollup = false });
            }

            packets.Add(new StatusChange { TestId = info.TestId, State = state, Status = status, Comment = comment, FinalLogf = args.Get("-setlog") });
        }
        else if (args.Has("-set-values"))
        {
            var value = args.Get(":value") ?? throw new UsageException("-set-values needs :value", 6);
            packets.Add(new TestData { TestId = info.TestId, Rows = [DataRow(args, value, args.Get(":expected"), args.Get(":tol"))], Rollup = false });
        }
        else if (args.Has("-load-test-data"))
        {
            packets.Add(new TestData { TestId = info.TestId, Rows = [.. ReadCsv(input)], Rollup = true });
        }
        else if (args.Has("-runstep"))
        {
            return RunStep(args, info);
        }
        else if (args.Has("-set-toplog"))
        {
            if (info.ToplevelTestId == 0)
            {
                throw new UsageException("-set-toplog works only in an item of an itemized test");
            }

            packets.Add(new StatusChange { TestId = info.ToplevelTestId, FinalLogf = args.Get("-set-toplog") });
        }
        else if (args.Has("-summarize-items"))
        {
            return SummarizeItems(info, output);
        }
        else
        {
            packets.Add(new StatusChange { TestId = info.TestId, Comment = comment, FinalLogf = args.Get("-setlog") });
        }

        return Send(info, packets);
    }

    /// <summary>Parses -load-test-data CSV: category,variable,value,expected,tol,units,comment,status,type.</summary>
    public static IEnumerable<TestDataItem> ReadCsv(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var lineNo = 0;
        while (input.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var f = line.Split(',').Select(x => x.Trim()).ToArray();
            if (f.Length < 2 || f[0].Length == 0 || f[1].Length == 0)
            {
                throw new UsageException($"-load-test-data: line {lineNo}: expected category,variable,value[,expected,tol,units,comment,status,type], got '{line}'");
            }

            string? At(int i) => i < f.Length && f[i].Length > 0 ? f[i] : null;
            yield return new TestDataItem { Category = f[0], Variable = f[1], Value = At(2), Expected = At(3), Tol = At(4), Units = At(5), Comment = At(6), Status = At(7), Type = At(8) };
        }
    }

    /// <summary>[validvalues] state/status restrict step words: a word outside the lists is reported, never refused (SPEC §3.4).</summary>
    private static void WarnUnlistedValues(CmdInfo info, string state, string status)
    {
        var path = Path.Combine(info.TopPath, "megatest.config");
        if (!File.Exists(path))
        {
            return;
        }

        var config = Megatest.Config.ConfigReader.ReadFile(path, new Megatest.Config.ConfigReadOptions { Environment = Megatest.Config.EnvironmentScope.FromProcess(), AllowShell = false });
        foreach (var (kind, word) in new[] { ("state", state), ("status", status) })
        {
            var allowed = config.Get("validvalues", kind)?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (allowed is { Length: > 0 } && !allowed.Contains(word, StringComparer.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"megatest: warning: step {kind} '{word}' is not in [validvalues] {kind} ({string.Join(" ", allowed)}) of {path}");
            }
        }
    }

    private static int SummarizeItems(CmdInfo info, TextWriter output)
    {
        var area = Megatest.Config.AreaConfig.Load(info.TopPath, info.Target, Megatest.Config.EnvironmentScope.FromProcess());
        using var db = Megatest.Storage.MegatestQueries.Open(area.DatabasePath);
        var rows = db.Tests(info.RunId)
            .Where(t => t.TestName == info.TestName && t.ItemPath.Length > 0)
            .Select(t => new Megatest.Scheduling.RowState { Id = t.Id, TestName = t.TestName, ItemPath = t.ItemPath, State = t.State, Status = t.Status, Comment = t.Comment })
            .ToList();
        var dir = Path.Combine(area.RunPath(info.Target, info.RunName), info.TestName);
        Megatest.Scheduling.RollupPage.Write(area, dir, info.TestName, rows);
        output.WriteLine($"wrote {Path.Combine(dir, Megatest.Scheduling.RollupPage.FileName(info.TestName))} ({rows.Count} items)");
        return 0;
    }

    private static TestDataItem DataRow(CliArgs args, string? value, string? expected, string? tol) => new()
    {
        Category = args.Get(":category") ?? "",
        Variable = args.Get(":variable") ?? "",
        Value = value,
        Expected = expected,
        Tol = tol,
        Units = args.Get(":units"),
        Comment = args.Get("-m"),
    };

    private static (string State, string Status) StateAndStatus(CliArgs args)
    {
        var state = args.Get("-state") ?? throw new UsageException("missing :state (both :state and :status are required)", 6);
        var status = args.Get("-status") ?? throw new UsageException("missing :status (both :state and :status are required)", 6);
        return (state, status);
    }

    private static int RunStep(CliArgs args, CmdInfo info)
    {
        var name = args.Get("-runstep")!;
        if (args.Rest.Count == 0)
        {
            throw new UsageException("-runstep NAME needs a command to run");
        }

        var cwd = Directory.GetCurrentDirectory();
        var rc = Send(info, [new Step { TestId = info.TestId, StepName = name, State = "start", Status = "n/a", EventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }]);
        if (rc != 0)
        {
            return rc;
        }

        var psi = new ProcessStartInfo(args.Rest[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        foreach (var a in args.Rest.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        int code;
        using (var log = new StreamWriter(Path.Combine(cwd, name + ".log")))
        using (var p = Process.Start(psi) ?? throw new UsageException("-runstep: could not start " + args.Rest[0]))
        {
            var lockObj = new Lock();
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObj) { log.WriteLine(e.Data); } } };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObj) { log.WriteLine(e.Data); } } };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            p.WaitForExit();
            code = p.ExitCode;
        }

        string? logFile = name + ".log";
        string? comment = null;
        var packets = new List<IPacket>();
        if (args.Get("-logpro") is { } rules)
        {
            using var input = new StreamReader(Path.Combine(cwd, name + ".log"));
            using var annotated = new StreamWriter(Path.Combine(cwd, name + "_logpro.log"));
            var result = new LogChecker(RuleSet.Load(rules)).Run(input, annotated, Path.Combine(cwd, name + ".html"));
            code = result.ExitCode;
            comment = result.Comment;
            logFile = name + ".html";
            packets.Add(new StatusChange { TestId = info.TestId, FinalLogf = logFile });
        }

        packets.Add(new Step { TestId = info.TestId, StepName = name, State = "end", Status = code.ToString(CultureInfo.InvariantCulture), EventTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Comment = comment, LogFile = logFile });
        var sent = Send(info, packets);
        return sent != 0 ? sent : code;
    }

    /// <summary>The CURVE keys for a secured agent's in-test endpoint (null when it is plain); the test's key pair comes from its environment.</summary>
    private static TransportSecurity? AgentSecurity(CmdInfo info)
    {
        if (info.AgentKey.Length == 0)
        {
            return null;
        }

        var secret = Environment.GetEnvironmentVariable(CmdInfo.KeyVariable)?.Trim();
        if (string.IsNullOrEmpty(secret))
        {
            throw new UsageException($"the agent's in-test endpoint is secured and {CmdInfo.KeyVariable} is not set: in-test commands work only in the processes the agent started for the test", 5);
        }

        try
        {
            var agent = new CurveKeyPair("the agent's in-test endpoint (MT_CMDINFO AgentKey)", info.AgentKey, null);
            _ = agent.PublicBytes; // a malformed key fails here, named
            return new TransportSecurity(CurveKeyPair.FromSecret("test", secret, CmdInfo.KeyVariable), agent, AllowList.Empty);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message, 5);
        }
    }

    private static int Send(CmdInfo info, IReadOnlyList<IPacket> packets)
    {
        using var socket = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(socket, info.AgentEndpoint, AgentSecurity(info));
        var stamp = new PacketStamp($"test@{Environment.MachineName}-{Environment.ProcessId}");
        try
        {
            foreach (var packet in packets)
            {
                var header = socket.SendPacket(stamp, packet);
                var deadline = DateTime.UtcNow + s_ackTimeout;
                while (true)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        throw new UsageException($"no answer from the agent at {info.AgentEndpoint} within {s_ackTimeout.TotalSeconds:0} s");
                    }

                    if (socket.TryReceivePacket(false, left < s_refusalCheck ? left : s_refusalCheck, out var received, out _) && received!.Header.CorrelationId == header.MessageId)
                    {
                        if (received.Packet is Ack { Ok: false } nack)
                        {
                            throw new UsageException("refused: " + nack.Error);
                        }

                        break;
                    }

                    if (SecureLink.Refusal(socket) is { } refusal)
                    {
                        var hint = refusal.Outcome == AuthOutcome.UnknownKey ? " (the agent forgets a test's key when the test ends; only the test's own processes hold it)" : "";
                        throw new UsageException($"refused: the agent did not accept this test's key ({CmdInfo.KeyVariable}): {refusal.Outcome}: {refusal.Reason}{hint}");
                    }
                }
            }

            return 0;
        }
        finally
        {
            socket.Dispose();
            NetMQConfig.Cleanup(block: false);
        }
    }
}
