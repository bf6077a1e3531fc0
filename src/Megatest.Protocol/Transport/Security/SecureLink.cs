using System.Collections.Concurrent;
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
/// socket (it restarted). An accepted reply from a db writer carries the key of its sealed change feed; it is kept per
/// server key for the secured SUB sockets of this process (<see cref="OpenFeed"/>).
/// </summary>
public static class SecureLink
{
    private static readonly ConditionalWeakTable<NetMQSocket, ClientState> s_states = [];
    private static readonly ConditionalWeakTable<NetMQSocket, string> s_feeds = [];
    private static readonly ConcurrentDictionary<string, FeedKey> s_feedKeys = new(StringComparer.Ordinal);
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
        if (socket is SubscriberSocket)
        {
            s_feeds.AddOrUpdate(socket, security.Server.PublicKey);
        }

        if (socket is not DealerSocket)
        {
            socket.Connect(endpoint);
            return;
        }

        var prefix = socket.Options.Identity is { Length: > 0 } set ? Encoding.UTF8.GetString(set) + "#" : "";
        var identity = Encoding.UTF8.GetBytes(prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        socket.Options.Identity = identity;
        var state = new ClientState(AuthProof.Create(security.Own, security.Server.PublicBytes, identity), security.Server.PublicKey);
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
                if (reply.Accepted && FeedKey.Parse(reply.FeedKey) is { } feedKey)
                {
                    s_feedKeys[state.ServerKey] = feedKey;
                }
            }
        }

        return true;
    }

    /// <summary>The server's refusal of this socket's hello (a key problem), or null when none came or a later hello was accepted.</summary>
    public static AuthReply? Refusal(NetMQSocket socket) =>
        s_states.TryGetValue(socket, out var state) ? state.Refused : null;

    /// <summary>
    /// With a secured SUB <paramref name="socket"/>, replaces the sealed body of <paramref name="msg"/> (the last frame) by
    /// the opened one. False with an error when it cannot be opened: no feed key yet, or the db writer restarted with a new
    /// one; the DEALER links to that server then say their hello again (on their next send or receive) to fetch it.
    /// Any other socket's messages pass untouched.
    /// </summary>
    public static bool OpenFeed(NetMQSocket socket, NetMQMessage msg, out DecodeError? error)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(msg);
        error = null;
        if (!s_feeds.TryGetValue(socket, out var serverKey) || msg.FrameCount == 0)
        {
            return true;
        }

        var last = msg.Last;
        var body = last.Buffer.AsSpan(0, last.MessageSize);
        if (!FeedKey.IsSealed(body))
        {
            error = new DecodeError("feed", "the secured db writer's change feed sent a body that is not sealed; refused");
            return false;
        }

        if (!s_feedKeys.TryGetValue(serverKey, out var key) || !key.TryOpen(body, out var opened))
        {
            error = new DecodeError("feed", key is null
                ? "a sealed change-feed body arrived before this process holds the db writer's feed key (it comes in the accepted AuthReply on a db writer link); refused"
                : "a sealed change-feed body does not open with the feed key held (the db writer restarted with a new key?); refused, fetching the key again");
            WantHello(serverKey);
            return false;
        }

        msg.RemoveFrame(last);
        msg.Append(opened);
        return true;
    }

    /// <summary>True when this process holds the feed key of the db writer serving with <paramref name="serverPublicKey"/> (Z85).</summary>
    public static bool HasFeedKey(string serverPublicKey) => s_feedKeys.ContainsKey(serverPublicKey);

    /// <summary>Says the hello of <paramref name="socket"/> again when a feed needs its key (called before sending or receiving on it).</summary>
    public static void SayHelloIfWanted(NetMQSocket socket)
    {
        if (s_states.TryGetValue(socket, out var state) && state.HelloWanted)
        {
            state.HelloWanted = !state.SayHello(socket);
        }
    }

    private static void WantHello(string serverKey)
    {
        foreach (var (_, state) in s_states)
        {
            if (state.ServerKey == serverKey)
            {
                state.HelloWanted = true;
            }
        }
    }

    private sealed class ClientState(AuthHello hello, string serverKey)
    {
        private long? _lastSent;

        public string ServerKey { get; } = serverKey;

        public volatile bool HelloWanted;

        public AuthReply? Refused { get; set; }

        public bool SayHello(NetMQSocket socket)
        {
            var now = Environment.TickCount64;
            if (now - _lastSent < (long)s_resendEvery.TotalMilliseconds)
            {
                return false;
            }

            _lastSent = now;
            socket.SendPacket(s_stamp, hello);
            return true;
        }
    }
}
