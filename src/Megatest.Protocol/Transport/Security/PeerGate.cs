using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Monitoring;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The server side of a secured ROUTER: the allowlist check that ZeroMQ's ZAP would do, which NetMQ lacks. Every
/// received message passes <see cref="Admit"/> first. An <see cref="AuthHello"/> is checked and answered here; any
/// other packet passes only when its routing identity has authenticated, else it is dropped, answered with a
/// not-authenticated <see cref="AuthReply"/> and logged (at most a few lines every 10 s). Without security every
/// message passes. A secured gate also logs every TCP connection accepted and closed (a peer without CURVE, or with
/// another server key, is closed by ZeroMQ during the handshake and never reaches <see cref="Admit(NetMQSocket, NetMQMessage)"/>).
/// The keys accepted are those of the allowlist (the daemons) or any other set (an agent's in-test endpoint accepts the
/// key pair it made for each test it runs).
/// </summary>
public sealed class PeerGate : IDisposable
{
    private const int MaxPeers = 65_536;
    private readonly CurveKeyPair? _server;
    private readonly Func<string, string?>? _nameOf;
    private readonly ILogger _logger;
    private readonly string _role;
    private readonly PacketStamp _stamp;
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly LogLimiter _refusals = new(TimeSpan.FromSeconds(10), 5);
    private readonly LogLimiter _connections = new(TimeSpan.FromSeconds(10), 20);
    private readonly ConcurrentDictionary<object, (string Address, long Since)> _open = new();
    private NetMQMonitor? _monitor;
    private long _dropped;
    private long _refused;

    /// <summary>Creates the gate of <paramref name="role"/> ("db writer", "coordinator"); null security admits everything.</summary>
    public PeerGate(TransportSecurity? security, string role, ILogger? logger = null)
        : this(role, logger, security?.Own, security is null ? null : key => security.AllowList.NameOf(key))
    {
    }

    /// <summary>
    /// Creates the gate of a server with key pair <paramref name="server"/> that accepts the public keys (Z85) for which
    /// <paramref name="nameOf"/> gives a name (asked at each hello, so the set may change).
    /// </summary>
    public PeerGate(CurveKeyPair server, Func<string, string?> nameOf, string role, ILogger? logger = null)
        : this(role, logger, server ?? throw new ArgumentNullException(nameof(server)), nameOf ?? throw new ArgumentNullException(nameof(nameOf)))
    {
    }

    private PeerGate(string role, ILogger? logger, CurveKeyPair? server, Func<string, string?>? nameOf)
    {
        ArgumentNullException.ThrowIfNull(role);
        _server = server;
        _nameOf = nameOf;
        _role = role;
        _logger = logger ?? NullLogger.Instance;
        _stamp = new PacketStamp(role + "@" + Environment.MachineName);
    }

    /// <summary>The db writer's feed key, handed to every peer it accepts (AuthReply.FeedKey); null for a server without a feed.</summary>
    public FeedKey? Feed { get; init; }

    /// <summary>The level of the line logged for each accepted hello (default Information; a busy endpoint may choose Debug).</summary>
    public LogLevel AcceptedLevel { get; init; } = LogLevel.Information;

    /// <summary>With security, logs the TCP connections of <paramref name="socket"/> (call after it is bound).</summary>
    public void Watch(NetMQSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_server is null || _monitor is not null)
        {
            return;
        }

        _monitor = new NetMQMonitor(socket, $"inproc://peergate-{Guid.NewGuid():N}", SocketEvents.Accepted | SocketEvents.Disconnected);
        _monitor.Accepted += (_, e) =>
        {
            var address = e.Socket?.RemoteEndPoint?.ToString() ?? "?";
            _open[e.Socket ?? new object()] = (address, Environment.TickCount64);
            Connection($"{_role}: connection from {address} accepted");
        };
        _monitor.Disconnected += (_, e) =>
        {
            var (address, since) = e.Socket is not null && _open.TryRemove(e.Socket, out var open) ? open : ("?", Environment.TickCount64);
            Connection($"{_role}: connection from {address} closed after {Environment.TickCount64 - since} ms");
        };
        _ = _monitor.StartAsync();
        // Events raised before the monitor's own socket is connected are lost: let it start before clients can arrive.
        SpinWait.SpinUntil(() => _monitor.IsRunning, TimeSpan.FromSeconds(2));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_monitor is { } monitor)
        {
            _monitor = null;
            try
            {
                monitor.Stop();
            }
            catch (InvalidOperationException)
            {
                // not started yet
            }

            monitor.Dispose();
        }
    }

    private void Connection(string line)
    {
        lock (_connections)
        {
            _connections.Log(_logger, LogLevel.Information, line);
        }
    }

    /// <summary>Packets dropped because their peer had not authenticated.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Hellos refused (unknown key, bad proof, weak identity).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>True when the service should handle <paramref name="msg"/> (received on <paramref name="router"/>); false when the gate consumed it.</summary>
    public bool Admit(NetMQSocket router, NetMQMessage msg) => Admit(router, msg, out _);

    /// <summary>
    /// Like <see cref="Admit(NetMQSocket, NetMQMessage)"/>; when the message passes a secured gate, <paramref name="peerKey"/>
    /// is the public key (Z85) its peer authenticated with (null without security).
    /// </summary>
    public bool Admit(NetMQSocket router, NetMQMessage msg, out string? peerKey)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(msg);
        peerKey = null;
        if (_server is null)
        {
            return true;
        }

        if (msg.FrameCount < 1)
        {
            return false;
        }

        var identity = msg[0].ToByteArray();
        var key = Convert.ToHexString(identity);
        var authenticated = _peers.TryGetValue(key, out var peer);
        if (msg.FrameCount == 3
            && PacketCodec.TryDecodeHeader(msg[1].Buffer.AsMemory(0, msg[1].MessageSize), out var header, out _)
            && header!.Code == PacketCode.AuthHello)
        {
            Answer(router, msg, identity, key, header);
            return false;
        }

        if (authenticated)
        {
            peer!.LastSeen = Environment.TickCount64;
            peerKey = peer.PublicKey;
            return true;
        }

        Interlocked.Increment(ref _dropped);
        var code = msg.FrameCount == 3 && PacketCodec.TryDecodeHeader(msg[1].Buffer.AsMemory(0, msg[1].MessageSize), out var h, out _) ? h!.Code.ToString() : $"a message of {msg.FrameCount} frames";
        _refusals.Log(_logger, LogLevel.Warning, $"{_role} dropped {code} from a peer that has not authenticated (no AuthHello from an allowlisted key on this connection)");
        router.SendPacket(_stamp, AuthProof.Refuse(AuthOutcome.NotAuthenticated, $"{_role}: send AuthHello with an allowlisted key first; nothing else is read before it"), routing: identity);
        return false;
    }

    private void Answer(NetMQSocket router, NetMQMessage msg, byte[] identity, string key, PacketHeader header)
    {
        AuthReply reply;
        if (PacketCodec.TryDecodeBody(header.Code, msg[2].Buffer.AsMemory(0, msg[2].MessageSize), out var body, out var error))
        {
            reply = AuthProof.Verify((AuthHello)body!, _server!, _nameOf!, identity);
        }
        else
        {
            reply = AuthProof.Refuse(AuthOutcome.BadProof, "AuthHello does not decode: " + error);
        }

        if (reply.Accepted)
        {
            if (_peers.Count >= MaxPeers)
            {
                ForgetStale();
            }

            _peers[key] = new Peer(((AuthHello)body!).PublicKey) { LastSeen = Environment.TickCount64 };
            reply.FeedKey = Feed?.Text ?? "";
            _logger.Log(AcceptedLevel, "{Role} authenticated a peer as {Name} ({Sender})", _role, reply.KeyName, header.SenderId);
        }
        else
        {
            _peers.Remove(key);
            Interlocked.Increment(ref _refused);
            _refusals.Log(_logger, LogLevel.Warning, $"{_role} refused a peer ({header.SenderId}): {reply.Outcome}: {reply.Reason}");
        }

        router.SendPacket(_stamp, reply, header.MessageId, identity);
    }

    /// <summary>Forgets every peer that authenticated with <paramref name="publicKey"/> (Z85): they must say a hello again, which a key no longer accepted fails.</summary>
    public void Forget(string publicKey)
    {
        foreach (var gone in _peers.Where(p => p.Value.PublicKey == publicKey).Select(p => p.Key).ToList())
        {
            _peers.Remove(gone);
        }
    }

    private void ForgetStale()
    {
        // Peers that went quiet longest go first; they say their hello again if they come back.
        foreach (var stale in _peers.OrderBy(p => p.Value.LastSeen).Take(MaxPeers / 2).Select(p => p.Key).ToList())
        {
            _peers.Remove(stale);
        }
    }

    private sealed class Peer(string publicKey)
    {
        public string PublicKey { get; } = publicKey;

        public long LastSeen { get; set; }
    }
}
