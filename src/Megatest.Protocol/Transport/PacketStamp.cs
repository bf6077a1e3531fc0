namespace Megatest.Protocol.Transport;

/// <summary>Builds headers for one sender: a fresh id and the next sequence number for every packet.</summary>
public sealed class PacketStamp
{
    private readonly Guid _base = Guid.NewGuid();
    private long _sequence;

    /// <summary>Creates a stamp for <paramref name="senderId"/>.</summary>
    public PacketStamp(string senderId)
    {
        SenderId = senderId;
    }

    /// <summary>Who sends: role and host.</summary>
    public string SenderId { get; }

    /// <summary>The last sequence number handed out.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>The header for the next packet.</summary>
    public PacketHeader Next(PacketCode code, Guid? correlationId = null)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        return new(ProtocolVersion.Current, code, MessageId(sequence), correlationId, SenderId, sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// The stamp that made <paramref name="messageId"/>: its random id without the sequence number (two stamps of one
    /// sender name, such as a process that started again and counts from 1, have different origins).
    /// </summary>
    public static Guid Origin(Guid messageId)
    {
        Span<byte> bytes = stackalloc byte[16];
        messageId.TryWriteBytes(bytes);
        bytes[10..].Clear();
        return new Guid(bytes);
    }

    // Message ids are this stamp's random id with the sequence number mixed into its last six bytes: unique per
    // packet like a fresh Guid (the version and variant bits are untouched), without a random-number system call
    // per packet, and one sender's ids share a prefix, so they land close together in the applied_packets index.
    private Guid MessageId(long sequence)
    {
        Span<byte> bytes = stackalloc byte[16];
        _base.TryWriteBytes(bytes);
        for (var i = 0; i < 6; i++)
        {
            bytes[15 - i] ^= (byte)(sequence >> (8 * i));
        }

        return new Guid(bytes);
    }
}
