namespace Megatest.Protocol;

/// <summary>
/// The header frame of every packet, readable without decoding the body.
/// Wire form: a MessagePack array of 7 elements
/// [version:int, code:uint16, messageId:bin16, correlationId:bin16|nil, senderId:str, sequence:int64, sentAtUnixMs:int64].
/// </summary>
/// <param name="Version">Protocol version of the sender.</param>
/// <param name="Code">Which packet the body holds.</param>
/// <param name="MessageId">Unique id of this packet (16 random bytes).</param>
/// <param name="CorrelationId">For replies and acks: the id of the packet answered.</param>
/// <param name="SenderId">Who sent it: role and host, e.g. "agent@host1".</param>
/// <param name="Sequence">Counts up per sender (per publisher for published packets).</param>
/// <param name="SentAtUnixMs">UTC send time in milliseconds since the Unix epoch.</param>
public sealed record PacketHeader(
    int Version,
    PacketCode Code,
    Guid MessageId,
    Guid? CorrelationId,
    string SenderId,
    long Sequence,
    long SentAtUnixMs);
