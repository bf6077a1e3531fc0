using System.Text;
using Megatest.Protocol;

namespace Megatest.Agent;

/// <summary>
/// The agent's local journal of status packets not yet acknowledged by the db writer. A packet is written
/// (and flushed to disk) before it is sent and marked done when its ack arrives; an agent that starts again
/// sends every packet still open, with its original message id, so the db writer applies each exactly once.
/// Format, one line each: "+ HEADER BODY" (base64 frames) and "- MESSAGEID".
/// </summary>
public sealed class StatusJournal : IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly Lock _lock = new();
    private int _open;

    /// <summary>Opens (creating) the journal at <paramref name="path"/>.</summary>
    public StatusJournal(string path)
    {
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>Packets written and not yet acknowledged.</summary>
    public int Open => _open;

    /// <summary>Records a packet before it is sent.</summary>
    public void Written(PacketHeader header, IPacket packet)
    {
        ArgumentNullException.ThrowIfNull(header);
        var line = "+ " + Convert.ToBase64String(PacketCodec.EncodeHeader(header)) + " " + Convert.ToBase64String(PacketCodec.EncodeBody(packet)) + "\n";
        Append(line, +1);
    }

    /// <summary>Records that the db writer acknowledged <paramref name="messageId"/>.</summary>
    public void Acknowledged(Guid messageId) => Append("- " + messageId.ToString("N") + "\n", -1);

    /// <summary>
    /// Reads every journal in <paramref name="directory"/> left by earlier runs of agents (except <paramref name="exceptPath"/>)
    /// and returns the packets never acknowledged, oldest first; the files are removed once read.
    /// </summary>
    public static List<(PacketHeader Header, IPacket Packet)> TakeOrphans(string directory, string? exceptPath = null)
    {
        var pending = new List<(PacketHeader, IPacket)>();
        if (!Directory.Exists(directory))
        {
            return pending;
        }

        foreach (var file in Directory.GetFiles(directory, "*.journal").Order(StringComparer.Ordinal))
        {
            if (exceptPath is not null && Path.GetFullPath(file) == Path.GetFullPath(exceptPath))
            {
                continue;
            }

            pending.AddRange(Read(file));
            File.Delete(file);
        }

        return pending;
    }

    /// <summary>The packets of one journal file that were written and never acknowledged, in order.</summary>
    public static List<(PacketHeader Header, IPacket Packet)> Read(string file)
    {
        var written = new List<(PacketHeader Header, IPacket Packet)>();
        var acked = new HashSet<Guid>();
        foreach (var line in File.ReadLines(file, Encoding.ASCII))
        {
            var parts = line.Split(' ');
            if (parts is ["+", var h, var b] && TryDecode(h, b, out var header, out var packet))
            {
                written.Add((header!, packet!));
            }
            else if (parts is ["-", var id] && Guid.TryParseExact(id, "N", out var guid))
            {
                acked.Add(guid);
            }

            // Anything else is a line cut short by a crash while it was written: it was never sent.
        }

        return written.Where(w => !acked.Contains(w.Header.MessageId)).ToList();
    }

    private static bool TryDecode(string header, string body, out PacketHeader? h, out IPacket? p)
    {
        h = null;
        p = null;
        try
        {
            return PacketCodec.TryDecode(Convert.FromBase64String(header), Convert.FromBase64String(body), out h, out p, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private void Append(string line, int delta)
    {
        var bytes = Encoding.ASCII.GetBytes(line);
        lock (_lock)
        {
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: true);
            _open += delta;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        if (_open == 0)
        {
            File.Delete(_path); // everything acknowledged: nothing to send again
        }
    }
}
