using System.Collections.Concurrent;
using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Protocol.Transport.Security;
using NetMQ.Sockets;

namespace Megatest.DbWriter;

/// <summary>
/// The db writer's PUB socket, fed from a thread of its own: the writer's thread numbers each committed change (its
/// per-run sequence) and hands the lot over; encoding, sealing and sending happen here, in the order handed over, while
/// the writer goes on with the next burst.
/// </summary>
internal sealed class ChangeFeed : IDisposable
{
    private readonly PublisherSocket _pub;
    private readonly FeedKey? _key;
    private readonly BlockingCollection<IReadOnlyList<(PacketHeader Header, IPacket Packet, string Topic)>> _queue = [];
    private readonly Thread _thread;

    /// <summary>Takes over <paramref name="pub"/> (bound, not used by any other thread from now on).</summary>
    public ChangeFeed(PublisherSocket pub, FeedKey? key)
    {
        _pub = pub;
        _key = key;
        _thread = new Thread(Run) { IsBackground = true, Name = "dbwriter feed" };
        _thread.Start();
    }

    /// <summary>Publishes <paramref name="changes"/> after everything handed over before.</summary>
    public void Publish(IReadOnlyList<(PacketHeader Header, IPacket Packet, string Topic)> changes)
    {
        if (changes.Count > 0)
        {
            _queue.Add(changes);
        }
    }

    /// <summary>Sends what is queued, then closes the socket.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
        _pub.Dispose();
    }

    private void Run()
    {
        foreach (var changes in _queue.GetConsumingEnumerable())
        {
            foreach (var (header, packet, topic) in changes)
            {
                // Secured, the body is sealed with the feed key that only authenticated clients get; plain, it goes as it is.
                var body = PacketCodec.EncodeBody(packet);
                _pub.SendEncoded(header, _key is null ? body : _key.Seal(body), Topics.Bytes(topic));
            }
        }
    }
}
