using System.Globalization;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Cli;

/// <summary>Subscribes to the db writer's committed-change stream and keeps the latest row of each test.</summary>
public sealed class ChangeFollower : IDisposable
{
    private static readonly TimeSpan s_feedKeyWait = TimeSpan.FromSeconds(5);
    private readonly SubscriberSocket _sub;
    private readonly DealerSocket? _keyLink;
    private readonly Dictionary<long, TestRowInfo> _rows = [];

    /// <summary>
    /// Connects to <paramref name="publishEndpoint"/> and subscribes to everything. Secured, the feed is sealed: the key
    /// comes over an authenticated link to the db writer at <paramref name="dbWriterEndpoint"/> (waited for up to 5 s).
    /// </summary>
    public ChangeFollower(string publishEndpoint, TransportSecurity? security, string? dbWriterEndpoint = null)
    {
        _sub = Endpoints.Configure(new SubscriberSocket());
        Endpoints.Connect(_sub, publishEndpoint, security);
        _sub.SubscribeToAnyTopic();
        if (security is null || dbWriterEndpoint is null)
        {
            return;
        }

        _keyLink = Endpoints.Configure(new DealerSocket());
        Endpoints.Connect(_keyLink, dbWriterEndpoint, security);
        var deadline = DateTime.UtcNow + s_feedKeyWait;
        while (!SecureLink.HasFeedKey(security.Server.PublicKey) && DateTime.UtcNow < deadline)
        {
            _keyLink.TryReceivePacket(false, TimeSpan.FromMilliseconds(50), out _, out _);
        }
    }

    /// <summary>Rows seen, by test id.</summary>
    public IReadOnlyDictionary<long, TestRowInfo> Rows => _rows;

    /// <summary>Reads what has arrived (waiting up to <paramref name="wait"/> for the first); returns the changes of <paramref name="runId"/>.</summary>
    public List<TestRowInfo> Poll(long runId, TimeSpan wait)
    {
        var changes = new List<TestRowInfo>();
        var timeout = wait;
        // The link's AuthReply brings the feed key (again, when the db writer restarted with a new one).
        while (_keyLink is not null && _keyLink.TryReceivePacket(false, TimeSpan.Zero, out _, out _))
        {
        }

        while (_sub.TryReceivePacket(true, timeout, out var received, out _))
        {
            timeout = TimeSpan.Zero;
            if (received?.Packet is TestChanged changed && (runId == 0 || changed.Row.RunId == runId))
            {
                _rows[changed.Row.Id] = changed.Row;
                changes.Add(changed.Row);
            }
        }

        return changes;
    }

    /// <summary>Formats a finished row as a progress line.</summary>
    public static string Line(TestRowInfo row, string target, string runName)
    {
        ArgumentNullException.ThrowIfNull(row);
        var path = $"lt/{target}/{runName}/{row.TestName}" + (row.ItemPath.Length > 0 ? "/" + row.ItemPath : "");
        var duration = row.RunDuration.ToString("0", CultureInfo.InvariantCulture) + "s";
        return $"  {row.State,-12} {row.Status,-15} {duration,6}  {path}";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sub.Dispose();
        _keyLink?.Dispose();
    }
}
