using NetMQ;
using NetMQ.Sockets;

namespace Megatest.Faults.Tests;

/// <summary>
/// A ZeroMQ-level proxy between agents and a daemon (the coordinator's or the db writer's ROUTER) that duplicates,
/// delays and reorders whole multipart messages at random, both ways. Agents connect to <see cref="Endpoint"/> (a
/// ROUTER); each agent connection gets its own DEALER towards the daemon, with the agent's identity when it set
/// one, so the daemon sees the agent as if it were connected directly. All sockets live on one poller thread.
/// </summary>
public sealed class ZmqFaultProxy : IDisposable
{
    private readonly string _upstream;
    private readonly Random _random;
    private readonly RouterSocket _front = new();
    private readonly Dictionary<string, DealerSocket> _backs = new(StringComparer.Ordinal);
    private readonly List<Held> _held = [];
    private readonly NetMQPoller _poller;
    private readonly NetMQTimer _timer = new(TimeSpan.FromMilliseconds(5));
    private readonly Dictionary<string, long> _lastReleased = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private long _sequence;
    private int _duplicated;
    private int _delayed;
    private int _reordered;
    private int _forwarded;

    /// <summary>Binds on a free loopback port and forwards to <paramref name="upstream"/>.</summary>
    public ZmqFaultProxy(string upstream, int seed)
    {
        _upstream = upstream;
        _random = new Random(seed);
        _front.Options.Linger = TimeSpan.Zero;
        Endpoint = $"tcp://127.0.0.1:{_front.BindRandomPort("tcp://127.0.0.1")}";
        _front.ReceiveReady += (_, _) => FromAgents();
        _timer.Elapsed += (_, _) => Release();
        _poller = [_front, _timer];
        _thread = new Thread(() => _poller.Run()) { IsBackground = true, Name = "fault proxy to " + upstream };
        _thread.Start();
    }

    /// <summary>Where agents connect instead of the daemon.</summary>
    public string Endpoint { get; }

    /// <summary>Chance that a message is sent twice.</summary>
    public double DuplicateChance { get; init; } = 0.15;

    /// <summary>Chance that a message (or its copy) is held back.</summary>
    public double DelayChance { get; init; } = 0.3;

    /// <summary>Longest hold.</summary>
    public int MaxDelayMs { get; init; } = 200;

    /// <summary>Faults so far: messages sent twice, held back (and still in order), overtaken by later ones; and messages forwarded.</summary>
    public (int Duplicated, int Delayed, int Reordered, int Forwarded) Counts =>
        (Volatile.Read(ref _duplicated), Volatile.Read(ref _delayed), Volatile.Read(ref _reordered), Volatile.Read(ref _forwarded));

    private void FromAgents()
    {
        NetMQMessage? msg = null;
        while (_front.TryReceiveMultipartMessage(TimeSpan.Zero, ref msg))
        {
            var identity = msg[0].ToByteArray();
            var frames = msg.Skip(1).Select(f => f.ToByteArray()).ToList();
            Back(identity);
            Schedule(upstream: true, identity, frames);
            msg = null;
        }

        Release();
    }

    private DealerSocket Back(byte[] identity)
    {
        var key = Convert.ToHexString(identity);
        if (_backs.TryGetValue(key, out var back))
        {
            return back;
        }

        back = new DealerSocket();
        back.Options.Linger = TimeSpan.Zero;
        if (identity.Length > 0 && identity[0] != 0)
        {
            back.Options.Identity = identity; // the agent's own identity ("agent:ID"); generated ones start with 0 and cannot be set
        }

        back.Connect(_upstream);
        back.ReceiveReady += (_, _) =>
        {
            NetMQMessage? reply = null;
            while (back.TryReceiveMultipartMessage(TimeSpan.Zero, ref reply))
            {
                Schedule(upstream: false, identity, [.. reply.Select(f => f.ToByteArray())]);
                reply = null;
            }

            Release();
        };
        _backs[key] = back;
        _poller.Add(back);
        return back;
    }

    private void Schedule(bool upstream, byte[] identity, List<byte[]> frames)
    {
        var copies = _random.NextDouble() < DuplicateChance ? 2 : 1;
        if (copies == 2)
        {
            _duplicated++;
        }

        var now = Environment.TickCount64;
        var seq = ++_sequence;
        for (var i = 0; i < copies; i++)
        {
            var delay = _random.NextDouble() < DelayChance ? _random.Next(1, MaxDelayMs + 1) : 0;
            _held.Add(new Held(now + delay, seq, upstream, identity, frames, delay > 0 && i == 0));
        }
    }

    private void Release()
    {
        var now = Environment.TickCount64;
        var due = _held.Where(h => h.Due <= now).OrderBy(h => h.Due).ThenBy(h => h.Seq).ToList();
        foreach (var h in due)
        {
            _held.Remove(h);
            var stream = (h.Upstream ? "up " : "down ") + Convert.ToHexString(h.Identity);
            var overtaken = h.Seq < _lastReleased.GetValueOrDefault(stream);
            if (overtaken && h.Delayed)
            {
                _reordered++;
            }
            else if (h.Delayed)
            {
                _delayed++;
            }

            _lastReleased[stream] = Math.Max(_lastReleased.GetValueOrDefault(stream), h.Seq);
            var msg = new NetMQMessage();
            if (!h.Upstream)
            {
                msg.Append(h.Identity);
            }

            foreach (var f in h.Frames)
            {
                msg.Append(f);
            }

            if (h.Upstream)
            {
                _backs[Convert.ToHexString(h.Identity)].SendMultipartMessage(msg);
            }
            else
            {
                _front.SendMultipartMessage(msg);
            }

            _forwarded++;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _poller.Stop();
        _thread.Join(TimeSpan.FromSeconds(5));
        _poller.Dispose();
        foreach (var back in _backs.Values)
        {
            back.Dispose();
        }

        _front.Dispose();
        _timer.Enable = false;
    }

    private sealed record Held(long Due, long Seq, bool Upstream, byte[] Identity, List<byte[]> Frames, bool Delayed);
}
