using System.Text.Json;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Dashboard;

/// <summary>
/// The one subscription of a dashboard server to the db writer's change stream, fanned out to every browser
/// (server-sent events). Browsers never poll SQLite: they load a page once and then follow these events. A gap in a
/// run's sequence numbers makes every follower of that run reload its page.
/// </summary>
internal sealed class ChangeHub : IDisposable
{
    private readonly string _publishEndpoint;
    private readonly string _dbWriterEndpoint;
    private readonly Megatest.Protocol.Transport.Security.TransportSecurity? _security;
    private readonly List<SseClient> _clients = [];
    private readonly Dictionary<long, long> _sequences = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _probeToken = Guid.NewGuid().ToString("N");
    private Thread? _thread;
    private long _received;

    public ChangeHub(string publishEndpoint, string dbWriterEndpoint, Megatest.Protocol.Transport.Security.TransportSecurity? security = null)
    {
        _security = security;
        _publishEndpoint = publishEndpoint;
        _dbWriterEndpoint = dbWriterEndpoint;
    }

    /// <summary>Changes received from the db writer so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Browsers connected now.</summary>
    public int ClientCount
    {
        get
        {
            lock (_clients)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>Completes once the subscription is known to receive (a probe came back), or at once without a db writer endpoint to probe.</summary>
    public Task Connected => _connected.Task;

    public void Start()
    {
        if (_publishEndpoint.Length == 0)
        {
            _connected.TrySetResult();
            return;
        }

        if (_dbWriterEndpoint.Length == 0)
        {
            _connected.TrySetResult();
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "dashboard-changes" };
        _thread.Start();
    }

    public SseClient Add(IReadOnlyCollection<long>? runs)
    {
        var client = new SseClient(runs);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public void Remove(SseClient client)
    {
        lock (_clients)
        {
            _clients.Remove(client);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            Follow();
        }
        catch (Exception ex) when (ex is TerminatingException or ObjectDisposedException)
        {
            // NetMQ is shutting down with the process.
        }
    }

    private void Follow()
    {
        using var sub = Endpoints.Configure(new SubscriberSocket());
        Endpoints.Connect(sub, _publishEndpoint, _security);
        sub.SubscribeToAnyTopic();
        using var probe = _dbWriterEndpoint.Length > 0 ? Endpoints.Configure(new DealerSocket()) : null;
        if (probe is not null)
        {
            Endpoints.Connect(probe, _dbWriterEndpoint, _security);
        }
        var stamp = new PacketStamp("dashboard-sub@" + Environment.MachineName + "-" + Environment.ProcessId);
        var lastProbe = DateTime.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            if (probe is not null && !_connected.Task.IsCompleted && DateTime.UtcNow - lastProbe > TimeSpan.FromMilliseconds(200))
            {
                lastProbe = DateTime.UtcNow;
                probe.SendPacket(stamp, new SubscribeProbe { Token = _probeToken });
            }

            while (probe is not null && probe.TryReceivePacket(false, TimeSpan.Zero, out _, out _))
            {
                // Acks of the probes; the echo on the stream is what counts.
            }

            if (!sub.TryReceivePacket(true, TimeSpan.FromMilliseconds(100), out var received, out _) || received is null)
            {
                continue;
            }

            switch (received.Packet)
            {
                case ProbeEcho echo when echo.Token == _probeToken:
                    _connected.TrySetResult();
                    break;
                case TestChanged changed:
                    Interlocked.Increment(ref _received);
                    Dispatch(changed.Row.RunId, received.Header.Sequence, "test", JsonSerializer.Serialize(DashboardJson.Cell(changed.Row, changed.Target, changed.RunName), DashboardJson.Options));
                    break;
                case RunChanged run:
                    Interlocked.Increment(ref _received);
                    Dispatch(run.RunId, received.Header.Sequence, "run", JsonSerializer.Serialize(new { id = run.RunId, target = run.Target, runName = run.RunName, state = run.State, status = run.Status }, DashboardJson.Options));
                    break;
            }
        }
    }

    private void Dispatch(long runId, long sequence, string kind, string json)
    {
        var gap = _sequences.TryGetValue(runId, out var last) && sequence != last + 1 && sequence > last;
        _sequences[runId] = Math.Max(last, sequence);
        var text = $"event: {kind}\ndata: {json}\n\n";
        var resync = $"event: resync\ndata: {{\"run\":{runId}}}\n\n";
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                if (!client.Follows(runId) && kind != "run")
                {
                    continue;
                }

                if ((gap && !client.Queue.Writer.TryWrite(resync)) || !client.Queue.Writer.TryWrite(text))
                {
                    client.Overflowed = true;
                }
            }
        }
    }
}
