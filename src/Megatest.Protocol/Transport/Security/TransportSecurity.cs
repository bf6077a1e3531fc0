using NetMQ;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// CURVE security of one process's links: its own key pair, the daemons' public key it connects to, and (for a daemon)
/// the allowlist of client keys it accepts. Null wherever a link is plain (the embedded single-process default).
/// </summary>
public sealed class TransportSecurity
{
    private readonly string? _allowListPath;
    private readonly object _lock = new();
    private AllowList _allowList;
    private DateTime _allowListStamp;

    /// <summary>Security with fixed keys (tests, tools); <paramref name="allowList"/> is what a server accepts.</summary>
    public TransportSecurity(CurveKeyPair own, CurveKeyPair server, AllowList allowList)
        : this(own, server, allowList, null)
    {
    }

    private TransportSecurity(CurveKeyPair own, CurveKeyPair server, AllowList allowList, string? allowListPath)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(allowList);
        _ = own.SecretBytes; // fails now, naming the key, when the secret half is missing
        Own = own;
        Server = server;
        _allowList = allowList;
        _allowListPath = allowListPath;
        _allowListStamp = allowListPath is null ? default : File.GetLastWriteTimeUtc(allowListPath);
    }

    /// <summary>This process's key pair.</summary>
    public CurveKeyPair Own { get; }

    /// <summary>The daemons' key (public half; a daemon has the secret half as <see cref="Own"/>).</summary>
    public CurveKeyPair Server { get; }

    /// <summary>
    /// Loads the keys from <paramref name="keysDir"/>: key pair <paramref name="ownName"/> (with its secret), the public key
    /// <paramref name="serverName"/>, and the allowlist. A daemon passes the server key's name as both.
    /// </summary>
    public static TransportSecurity Load(string keysDir, string ownName, string serverName)
    {
        var store = new KeyStore(keysDir);
        var own = store.Load(ownName, needSecret: true);
        var server = ownName == serverName ? own : store.Load(serverName, needSecret: false);
        return new TransportSecurity(own, server, store.LoadAllowList(), store.AllowListPath);
    }

    /// <summary>The allowlist, read again when its file has changed since it was last read (keys can be added while daemons run).</summary>
    public AllowList AllowList
    {
        get
        {
            if (_allowListPath is null)
            {
                return _allowList;
            }

            lock (_lock)
            {
                var stamp = File.GetLastWriteTimeUtc(_allowListPath);
                if (stamp != _allowListStamp)
                {
                    _allowList = AllowList.Read(_allowListPath);
                    _allowListStamp = stamp;
                }

                return _allowList;
            }
        }
    }

    /// <summary>Makes <paramref name="socket"/> (ROUTER or PUB) a CURVE server with this process's key pair.</summary>
    public void Serve(NetMQSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Options.CurveServer = true;
        socket.Options.CurveCertificate = Own.Certificate;
    }

    /// <summary>Makes <paramref name="socket"/> (DEALER or SUB) a CURVE client of the daemons' key with this process's key pair.</summary>
    public void Client(NetMQSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Options.CurveServerKey = Server.PublicBytes;
        socket.Options.CurveCertificate = Own.Certificate;
    }
}
