using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Dashboard;

/// <summary>
/// Request/reply over a DEALER socket: sends one packet and waits for the answer correlated to it. Each call uses
/// its own socket on one thread-pool thread (NetMQ sockets are not thread-safe), so browsers can act at once.
/// </summary>
internal sealed class PacketClient(Megatest.Protocol.Transport.Security.TransportSecurity? security)
{
    private readonly PacketStamp _stamp = new("dashboard@" + Environment.MachineName + "-" + Environment.ProcessId);

    /// <summary>Sends <paramref name="packet"/> to <paramref name="endpoint"/>; returns the reply correlated to it, or null on time-out.</summary>
    public Task<IPacket?> RequestAsync(string endpoint, IPacket packet, TimeSpan timeout, CancellationToken cancel) => Task.Run(
        () =>
        {
            using var socket = Endpoints.Configure(new DealerSocket());
            Endpoints.Connect(socket, endpoint, security);
            var sent = socket.SendPacket(_stamp, packet);
            var deadline = DateTime.UtcNow + timeout;
            while (!cancel.IsCancellationRequested)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                var wait = left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250);
                if (socket.TryReceivePacket(false, wait, out var received, out _) && received!.Header.CorrelationId == sent.MessageId)
                {
                    return received.Packet;
                }
            }

            return (IPacket?)null;
        },
        cancel);
}
