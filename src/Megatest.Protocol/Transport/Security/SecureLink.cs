using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The client side of a secured link. <see cref="Connect"/> makes the socket a CURVE client and, for a DEALER, gives it
/// an unguessable routing identity and sends <see cref="AuthHello"/> before anything else, so the server sees the proof
/// first on every connection (ZeroMQ keeps the order of one socket's messages). Receive loops hand every
/// <see cref="AuthReply"/> to <see cref="Consume"/>, which says the hello again when the server no longer knows the
/// socket (it restarted).
/// </summary>
public static class SecureLink
{
    private static readonly ConditionalWeakTable<NetMQSocket, ClientState> s_states = [];
    private static readonly TimeSpan s_resendEvery = TimeSpan.FromSeconds(1);
    private static readonly PacketStamp s_stamp = new("auth@" + Environment.MachineName + "-" + Environment.ProcessId);

    /// <summary>
    /// Connects <paramref name="socket"/> to <paramref name="endpoint"/>; with <paramref name="security"/> over CURVE, and a
    /// DEALER also authenticates (its routing identity keeps any prefix already set, followed by 32 random hex characters).
    /// </summary>
    public static void Connect(NetMQSocket socket, string endpoint, TransportSecurity? security)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (security is null)
        {
            socket.Connect(endpoint);
            return;
        }

        security.Client(socket);
        if (socket is not DealerSocket)
        {
            socket.Connect(endpoint);
            return;
        }

        var prefix = socket.Options.Identity is { Length: > 0 } set ? Encoding.UTF8.GetString(set) + "#" : "";
        var identity = Encoding.UTF8.GetBytes(prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        socket.Options.Identity = identity;
        var state = new ClientState(AuthProof.Create(security.Own, security.Server.PublicBytes, identity));
        s_states.AddOrUpdate(socket, state);
        socket.Connect(endpoint);
        state.SayHello(socket);
    }

    /// <summary>
    /// True when <paramref name="received"/> is an <see cref="AuthReply"/> (the caller then ignores it). A not-authenticated
    /// refusal makes the socket say its hello again (at most once a second); a refused hello is kept for <see cref="Refusal"/>.
    /// </summary>
    public static bool Consume(NetMQSocket socket, ReceivedPacket received)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(received);
        if (received.Packet is not AuthReply reply)
        {
            return false;
        }

        if (s_states.TryGetValue(socket, out var state))
        {
            if (reply.Outcome == AuthOutcome.NotAuthenticated)
            {
                state.SayHello(socket);
            }
            else
            {
                state.Refused = reply.Accepted ? null : reply;
            }
        }

        return true;
    }

    /// <summary>The server's refusal of this socket's hello (a key problem), or null when none came or a later hello was accepted.</summary>
    public static AuthReply? Refusal(NetMQSocket socket) =>
        s_states.TryGetValue(socket, out var state) ? state.Refused : null;

    private sealed class ClientState(AuthHello hello)
    {
        private long? _lastSent;

        public AuthReply? Refused { get; set; }

        public void SayHello(NetMQSocket socket)
        {
            var now = Environment.TickCount64;
            if (now - _lastSent < (long)s_resendEvery.TotalMilliseconds)
            {
                return;
            }

            _lastSent = now;
            socket.SendPacket(s_stamp, hello);
        }
    }
}
