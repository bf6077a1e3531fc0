using Megatest.Config;
using Megatest.DbWriter;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Cli;

/// <summary>
/// How CLI commands that change rows reach the db writer: the one in [services] dbwriter when it answers,
/// otherwise one started inside this process for the command. Every packet waits for its ack (commit).
/// </summary>
public sealed class DbWriterLink : IDisposable
{
    private static readonly TimeSpan s_ackTimeout = TimeSpan.FromSeconds(60);
    private readonly DbWriterService? _embedded;
    private readonly DealerSocket _socket;
    private readonly PacketStamp _stamp = new($"cli@{Environment.MachineName}-{Environment.ProcessId}");

    private DbWriterLink(string endpoint, DbWriterService? embedded, TransportSecurity? security)
    {
        _embedded = embedded;
        _socket = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(_socket, endpoint, security);
    }

    /// <summary>Connects to the area's db writer, starting one here when none runs.</summary>
    public static DbWriterLink Open(AreaConfig area, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(logs);
        var services = ServiceEndpoints.From(area);
        if (services.DbWriter is { } configured)
        {
            var link = new DbWriterLink(ServiceEndpoints.Connectable(configured), null, services.ClientSecurity());
            if (link.TrySend(new SubscribeProbe { Token = "cli" }, TimeSpan.FromSeconds(2)) is not null)
            {
                return link;
            }

            if (SecureLink.Refusal(link._socket) is { } refusal)
            {
                link.Dispose();
                throw new UsageException($"the db writer refused this client: {refusal.Outcome}: {refusal.Reason}");
            }

            link.Dispose();
        }

        var db = new DbWriterService(AreaDbWriter.Options(area), logs.CreateLogger("dbwriter"));
        db.Start();
        return new DbWriterLink(db.Endpoint, db, null);
    }

    /// <summary>Sends a packet and waits for its reply; throws <see cref="UsageException"/> when refused or unanswered.</summary>
    public IPacket Send(IPacket packet)
    {
        var reply = TrySend(packet, s_ackTimeout) ?? throw new UsageException($"no answer from the db writer within {s_ackTimeout.TotalSeconds:0} s");
        if (reply is Ack { Ok: false } nack)
        {
            throw new UsageException("db writer refused: " + nack.Error);
        }

        return reply;
    }

    private IPacket? TrySend(IPacket packet, TimeSpan timeout)
    {
        var header = _socket.SendPacket(_stamp, packet);
        var deadline = DateTime.UtcNow + timeout;
        var resendAt = DateTime.UtcNow + ControlClient.ResendEvery;
        while (DateTime.UtcNow < deadline)
        {
            var wait = (resendAt < deadline ? resendAt : deadline) - DateTime.UtcNow;
            if (_socket.TryReceivePacket(false, wait > TimeSpan.Zero ? wait : TimeSpan.Zero, out var received, out _) && received!.Header.CorrelationId == header.MessageId)
            {
                return received.Packet;
            }

            if (DateTime.UtcNow >= resendAt)
            {
                // Same message id: a db writer that restarted (or lost it) applies it once.
                _socket.SendPacket(header, packet);
                resendAt = DateTime.UtcNow + ControlClient.ResendEvery;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _socket.Dispose();
        _embedded?.Dispose();
        NetMQConfig.Cleanup(block: false);
    }
}
