using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ.Sockets;

namespace Megatest.Agent.Tests;

/// <summary>Request/reply with a role over a DEALER, as the coordinator does with the db writer.</summary>
internal static class Requests
{
    /// <summary>Sends <paramref name="packet"/> and returns the reply that answers it.</summary>
    public static T Ask<T>(DealerSocket client, PacketStamp stamp, IPacket packet)
        where T : class, IPacket
    {
        var sent = client.SendPacket(stamp, packet);
        while (true)
        {
            Assert.True(client.TryReceivePacket(false, TimeSpan.FromSeconds(10), out var received, out _), "no reply");
            if (received!.Header.CorrelationId == sent.MessageId)
            {
                return Assert.IsType<T>(received.Packet);
            }
        }
    }
}
