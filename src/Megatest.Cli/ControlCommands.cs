using System.Globalization;
using Megatest.Config;
using Megatest.Protocol;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>
/// Control packets the CLI drops to a running coordinator (found through megatest.config <c>[services]</c>):
/// <c>-kill-runs</c>, <c>-rerun-clean</c> (without -run), <c>-remove-runs</c> (with <c>-state</c>/<c>-status</c>), <c>-archive MODE</c> and
/// <c>-get-run-status</c>. Each prints the coordinator's ack: "accepted: …" or "rejected: …". When no coordinator
/// answers, the roles start inside this process for the one packet (except -rerun-clean alone, which needs a run to follow).
/// </summary>
public static class ControlCommands
{
    /// <summary>How long the coordinator has to answer.</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long an -archive may take: the coordinator answers when the archives are written (or restored).</summary>
    public static readonly TimeSpan ArchiveAckTimeout = TimeSpan.FromHours(12);

    /// <summary>Whether the arguments ask for a control packet.</summary>
    public static bool Applies(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return !args.Has("-run") && (args.Has("-kill-runs") || args.Has("-rerun-clean") || args.Has("-remove-runs") || args.Has("-archive") || args.Has("-get-run-status"));
    }

    /// <summary>Builds the packet, drops it and prints the answer; 0 when accepted.</summary>
    public static int Execute(CliArgs args, TextWriter output, TextWriter errors, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var target = args.Get("-target") ?? args.Get("-reqtarg") ?? "%";
        var runName = args.Get("-runname") ?? "%";
        var testPatt = args.Get("-testpatt") ?? "%";
        IPacket packet = args switch
        {
            _ when args.Has("-kill-runs") => new KillRequest { Target = target, RunName = runName, TestPatt = testPatt },
            _ when args.Has("-rerun-clean") => new RerunCleanRequest { Target = target, RunName = runName, TestPatt = testPatt },
            _ when args.Has("-remove-runs") => new CleanRequest { Target = target, RunName = runName, TestPatt = testPatt, States = List(args.Get("-state")), Statuses = List(args.Get("-status")) },
            _ when args.Has("-archive") => new ArchiveRequest { Target = target, RunName = runName, TestPatt = testPatt, Mode = args.Get("-archive")! },
            _ => new StatusQuery { Target = target, RunName = runName },
        };

        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), null, EnvironmentScope.FromProcess());
        var services = ServiceEndpoints.From(area);
        var coordinator = CoordinatorLink.Find(services);
        using var embedded = coordinator is null && packet is not RerunCleanRequest ? new EmbeddedRoles(area, logs) : null;
        coordinator ??= embedded?.CoordinatorEndpoint;
        if (coordinator is null)
        {
            errors.WriteLine(services.Coordinator is null
                ? "megatest: -rerun-clean alone needs a running coordinator ([services] coordinator); without one use -run -rerun-clean"
                : $"megatest: no coordinator answers at {services.Coordinator}; without one use -run -rerun-clean");
            return 1;
        }

        using var client = new ControlClient(coordinator, embedded is null ? services.ClientSecurity() : null);
        var sent = client.Send(packet);
        var timeout = packet is ArchiveRequest ? ArchiveAckTimeout : AckTimeout;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var received = client.Receive(deadline - DateTime.UtcNow);
            if (received is null || received.Header.CorrelationId != sent.MessageId)
            {
                continue;
            }

            switch (received.Packet)
            {
                case ControlAck ack:
                    output.WriteLine((ack.Accepted ? "accepted: " : "rejected: ") + ack.Reason);
                    return ack.Accepted ? 0 : 1;
                case StatusReply reply:
                    PrintStatus(reply, args.Get("-dumpmode") == "json", output);
                    return 0;
                case Ack nack:
                    output.WriteLine("rejected: " + nack.Error);
                    return 1;
            }
        }

        errors.WriteLine($"megatest: no answer from the coordinator at {coordinator} within {timeout.TotalSeconds:0} s");
        return 1;
    }

    private static string[] List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void PrintStatus(StatusReply reply, bool json, TextWriter output)
    {
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (var run in reply.Runs)
                {
                    w.WriteStartObject();
                    w.WriteNumber("runId", run.RunId);
                    w.WriteString("target", run.Target);
                    w.WriteString("runName", run.RunName);
                    w.WriteString("state", run.State);
                    w.WriteString("status", run.Status);
                    w.WriteStartObject("counts");
                    foreach (var (k, v) in run.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        w.WriteNumber(k, long.Parse(v, CultureInfo.InvariantCulture));
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        foreach (var run in reply.Runs)
        {
            var counts = string.Join(", ", run.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"));
            output.WriteLine($"run {run.RunId} {run.Target}/{run.RunName} {run.State}/{run.Status}: {counts}");
        }
    }
}
