using Megatest.Protocol.Transport.Security;
using NetMQ;

namespace Megatest.Protocol.Transport;

/// <summary>Sends and receives packets as multipart messages: [routing] header body.</summary>
public static class PacketSocketExtensions
{
    /// <summary>Sends a packet, preceded by <paramref name="routing"/> (a ROUTER identity or a PUB topic) when given.</summary>
    public static void SendPacket(this IOutgoingSocket socket, PacketHeader header, IPacket packet, byte[]? routing = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var msg = new NetMQMessage(3);
        if (routing is not null)
        {
            msg.Append(routing);
        }

        msg.Append(PacketCodec.EncodeHeader(header));
        msg.Append(PacketCodec.EncodeBody(packet));
        socket.SendMultipartMessage(msg);
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
        while (true)
        {
            received = null;
            error = null;
            NetMQMessage? msg = null;
            if (!socket.TryReceiveMultipartMessage(timeout, ref msg) || msg is null)
            {
                return false;
            }

            if (!TryDecode(msg, hasRouting, out received, out error))
            {
                return false;
            }

            // A secured link's AuthReply is for the link, not for the caller (see SecureLink).
            if (hasRouting || socket is not NetMQSocket netMq || !SecureLink.Consume(netMq, received!))
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
        if (!PacketCodec.TryDecode(msg[offset].ToByteArray(), msg[offset + 1].ToByteArray(), out var header, out var packet, out error))
        {
            return false;
        }

        received = new ReceivedPacket(hasRouting ? msg[0].ToByteArray() : null, header!, packet!);
        return true;
    }
}
