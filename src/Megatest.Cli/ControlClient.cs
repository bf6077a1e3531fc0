using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Cli;

/// <summary>
/// The CLI side of the control conversation: drops control packets to the coordinator and reads its answers.
/// The socket has a fixed identity for the life of the process, so a coordinator that restarts still reaches it
/// (and, from its database, knows it as the client of the runs it asked for).
/// </summary>
public sealed class ControlClient : IDisposable
{
    /// <summary>How long an unanswered control packet waits before it goes again (same message id).</summary>
    public static readonly TimeSpan ResendEvery = TimeSpan.FromSeconds(3);

    private readonly DealerSocket _socket;
    private readonly PacketStamp _stamp = new("cli@" + Environment.MachineName + "-" + Environment.ProcessId);

    /// <summary>Connects to the coordinator at <paramref name="endpoint"/> (over CURVE, authenticated, when <paramref name="security"/> is given).</summary>
    public ControlClient(string endpoint, TransportSecurity? security)
    {
        _socket = Endpoints.Configure(new DealerSocket());
        _socket.Options.Identity = System.Text.Encoding.UTF8.GetBytes($"cli:{Environment.ProcessId}-{Guid.NewGuid():N}");
        Endpoints.Connect(_socket, endpoint, security);
    }

    /// <summary>Sends a control packet; returns its header (its id correlates the answers).</summary>
    public PacketHeader Send(IPacket packet) => _socket.SendPacket(_stamp, packet);

    /// <summary>Sends a packet again exactly as before (same message id): the coordinator treats it as the same request.</summary>
    public void Resend(PacketHeader header, IPacket packet) => _socket.SendPacket(header, packet);

    /// <summary>
    /// Sends <paramref name="packet"/> and waits up to <paramref name="timeout"/> for an answer correlated with it,
    /// sending it again (same message id) every <see cref="ResendEvery"/> while none comes: a coordinator that was
    /// restarting or lost the packet still gets it. Returns the answer and the header, or a null answer on time-out.
    /// </summary>
    public (ReceivedPacket? Answer, PacketHeader Header, int Sends) Request(IPacket packet, TimeSpan timeout, Func<IPacket, bool>? accept = null)
    {
        var header = Send(packet);
        var sends = 1;
        var deadline = DateTime.UtcNow + timeout;
        var resendAt = DateTime.UtcNow + ResendEvery;
        while (DateTime.UtcNow < deadline)
        {
            var until = resendAt < deadline ? resendAt : deadline;
            if (Receive(until - DateTime.UtcNow) is { } received && received.Header.CorrelationId == header.MessageId && (accept is null || accept(received.Packet)))
            {
                return (received, header, sends);
            }

            if (DateTime.UtcNow >= resendAt && DateTime.UtcNow < deadline)
            {
                Resend(header, packet);
                sends++;
                resendAt = DateTime.UtcNow + ResendEvery;
            }
        }

        return (null, header, sends);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the next packet; null on time-out.</summary>
    public ReceivedPacket? Receive(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (_socket.TryReceivePacket(false, left > TimeSpan.Zero ? left : TimeSpan.Zero, out var received, out var error))
            {
                return received;
            }

            if (SecureLink.Refusal(_socket) is { } refusal)
            {
                throw new UsageException($"the coordinator refused this client: {refusal.Outcome}: {refusal.Reason}");
            }

            if (error is null && DateTime.UtcNow >= deadline)
            {
                return null;
            }
        }
    }

    /// <summary>Sends <paramref name="packet"/> and waits up to <paramref name="timeout"/> for the answer to it; null on time-out.</summary>
    public IPacket? Ask(IPacket packet, TimeSpan timeout)
    {
        var sent = Send(packet);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Receive(deadline - DateTime.UtcNow) is { } reply && reply.Header.CorrelationId == sent.MessageId)
            {
                return reply.Packet;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
