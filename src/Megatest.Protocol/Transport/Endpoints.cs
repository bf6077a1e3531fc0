using Megatest.Protocol.Transport.Security;
using NetMQ;

namespace Megatest.Protocol.Transport;

/// <summary>Binding helpers for loopback and configured endpoints.</summary>
public static class Endpoints
{
    /// <summary>Binds to <paramref name="address"/>; "tcp://HOST:0" or "tcp://HOST:*" picks a free port. Returns the bound endpoint.</summary>
    public static string Bind(NetMQSocket socket, string address)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(address);
        if (address.EndsWith(":0", StringComparison.Ordinal) || address.EndsWith(":*", StringComparison.Ordinal))
        {
            var host = address[..address.LastIndexOf(':')];
            var port = socket.BindRandomPort(host);
            return $"{host}:{port}";
        }

        socket.Bind(address);
        return address;
    }

    /// <summary>Binds like <see cref="Bind(NetMQSocket, string)"/>, as a CURVE server when <paramref name="security"/> is given.</summary>
    public static string Bind(NetMQSocket socket, string address, TransportSecurity? security)
    {
        ArgumentNullException.ThrowIfNull(socket);
        security?.Serve(socket);
        return Bind(socket, address);
    }

    /// <summary>Connects, over CURVE and authenticated when <paramref name="security"/> is given (see <see cref="SecureLink"/>).</summary>
    public static void Connect(NetMQSocket socket, string endpoint, TransportSecurity? security) => SecureLink.Connect(socket, endpoint, security);

    /// <summary>Applies the socket options every Megatest socket uses: no linger, high water marks that do not drop bursts.</summary>
    public static T Configure<T>(T socket)
        where T : NetMQSocket
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Options.Linger = TimeSpan.Zero;
        // A peer that sends a bigger frame than any packet can be is disconnected before the frame is buffered.
        socket.Options.MaxMsgSize = PacketCodec.MaxBodyBytes + PacketCodec.MaxHeaderBytes;
        socket.Options.SendHighWatermark = 1_000_000;
        socket.Options.ReceiveHighWatermark = 1_000_000;
        return socket;
    }
}
