using Megatest.Protocol.Transport.Security;
using NetMQ;

namespace Megatest.Protocol.Transport;

/// <summary>Sends and receives packets as multipart messages: [routing] header body.</summary>
public static class PacketSocketExtensions
{
    /// <summary>Sends a packet, preceded by <paramref name="routing"/> (a ROUTER identity or a PUB topic) when given.</summary>
    public static void SendPacket(this IOutgoingSocket socket, PacketHeader header, IPacket packet, byte[]? routing = null) =>
        socket.SendEncoded(header, PacketCodec.EncodeBody(packet), routing);

    /// <summary>Sends a packet whose body is already encoded (<see cref="PacketCodec.EncodeBody"/>), e.g. one sent many times.</summary>
    public static void SendEncoded(this IOutgoingSocket socket, PacketHeader header, byte[] body, byte[]? routing = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(body);
        if (socket is NetMQSocket netMq)
        {
            SecureLink.SayHelloIfWanted(netMq);
        }

        // Frame by frame rather than through a NetMQMessage: one object and list fewer per packet.
        if (routing is not null)
        {
            socket.SendMoreFrame(routing);
        }

        socket.SendMoreFrame(PacketCodec.EncodeHeader(header)).SendFrame(body);
    }

    /// <summary>Sends a packet with a fresh header from <paramref name="stamp"/>; returns the header used.</summary>
    public static PacketHeader SendPacket(this IOutgoingSocket socket, PacketStamp stamp, IPacket packet, Guid? correlationId = null, byte[]? routing = null)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(packet);
        var header = stamp.Next(packet.Code, correlationId);
        socket.SendPacket(header, packet, routing);
        return header;
    }

    /// <summary>
    /// Receives one multipart message (waiting up to <paramref name="timeout"/>) and decodes it.
    /// Returns false with error null on time-out, false with an error for a bad message (the message is consumed).
    /// </summary>
    public static bool TryReceivePacket(this IReceivingSocket socket, bool hasRouting, TimeSpan timeout, out ReceivedPacket? received, out DecodeError? error)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var netMq = socket as NetMQSocket;
        while (true)
        {
            received = null;
            error = null;
            if (netMq is not null)
            {
                SecureLink.SayHelloIfWanted(netMq);
            }

            NetMQMessage? msg = null;
            if (!socket.TryReceiveMultipartMessage(timeout, ref msg) || msg is null)
            {
                return false;
            }

            // A secured db writer's change feed arrives sealed (see FeedKey).
            if (netMq is not null && !SecureLink.OpenFeed(netMq, msg, out error))
            {
                return false;
            }

            if (!TryDecode(msg, hasRouting, out received, out error))
            {
                return false;
            }

            // A secured link's AuthReply is for the link, not for the caller (see SecureLink).
            if (hasRouting || netMq is null || !SecureLink.Consume(netMq, received!))
            {
                return true;
            }

            timeout = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
        }
    }

    /// <summary>Decodes a multipart message already received.</summary>
    public static bool TryDecode(NetMQMessage msg, bool hasRouting, out ReceivedPacket? received, out DecodeError? error)
    {
        ArgumentNullException.ThrowIfNull(msg);
        received = null;
        var expected = hasRouting ? 3 : 2;
        if (msg.FrameCount != expected)
        {
            error = new DecodeError("frames", $"expected {expected} frames ({(hasRouting ? "routing, " : "")}header, body), got {msg.FrameCount}");
            return false;
        }

        var offset = hasRouting ? 1 : 0;
        if (FeedKey.IsSealed(Content(msg[offset + 1]).Span))
        {
            error = new DecodeError("body", "sealed with the feed key of a secured db writer's change feed; only a client that authenticated to that db writer holds the key");
            return false;
        }

        if (!PacketCodec.TryDecode(Content(msg[offset]), Content(msg[offset + 1]), out var header, out var packet, out error))
        {
            return false;
        }

        received = new ReceivedPacket(hasRouting ? Bytes(msg[0]) : null, header!, packet!);
        return true;
    }

    // A received frame owns its buffer: read it in place rather than copying it (the db writer decodes thousands a second).
    private static ReadOnlyMemory<byte> Content(NetMQFrame frame) => new(frame.Buffer, 0, frame.MessageSize);

    private static byte[] Bytes(NetMQFrame frame) => frame.MessageSize == frame.Buffer.Length ? frame.Buffer : frame.ToByteArray();
}
