namespace Megatest.Protocol.Transport;

/// <summary>Builds headers for one sender: a fresh id and the next sequence number for every packet.</summary>
public sealed class PacketStamp
{
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
    public PacketHeader Next(PacketCode code, Guid? correlationId = null) =>
        new(ProtocolVersion.Current, code, Guid.NewGuid(), correlationId, SenderId, Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
