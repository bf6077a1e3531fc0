using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Cli;

/// <summary>The CLI side of the control conversation: drops control packets to the coordinator and reads its answers.</summary>
public sealed class ControlClient : IDisposable
{
    private readonly DealerSocket _socket;
    private readonly PacketStamp _stamp = new("cli@" + Environment.MachineName + "-" + Environment.ProcessId);

    /// <summary>Connects to the coordinator at <paramref name="endpoint"/> (over CURVE, authenticated, when <paramref name="security"/> is given).</summary>
    public ControlClient(string endpoint, TransportSecurity? security)
    {
        _socket = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(_socket, endpoint, security);
    }

    /// <summary>Sends a control packet; returns its header (its id correlates the answers).</summary>
    public PacketHeader Send(IPacket packet) => _socket.SendPacket(_stamp, packet);

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
