using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace Megatest.Protocol;

/// <summary>
/// Encodes and decodes packets as two frames: the header (see <see cref="PacketHeader"/>) and the body
/// (a MessagePack array with integer keys). Decoding never throws: a bad frame gives a <see cref="DecodeError"/>.
/// </summary>
public static class PacketCodec
{
    /// <summary>The largest body accepted, in bytes; bigger frames are refused before they are read.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The largest header accepted, in bytes.</summary>
    public const int MaxHeaderBytes = 1024;

    /// <summary>The only serializer options used on the wire: standard resolver, untrusted-data security.</summary>
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(StandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Encodes the header frame.</summary>
    public static byte[] EncodeHeader(PacketHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var buffer = new ArrayBufferWriter<byte>(96);
        var writer = new MessagePackWriter(buffer);
        var id = new byte[16];
        writer.WriteArrayHeader(7);
        writer.Write(header.Version);
        writer.Write((ushort)header.Code);
        header.MessageId.TryWriteBytes(id);
        writer.Write(id);
        if (header.CorrelationId is { } corr)
        {
            corr.TryWriteBytes(id);
            writer.Write(id);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Write(header.SenderId);
        writer.Write(header.Sequence);
        writer.Write(header.SentAtUnixMs);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a packet body.</summary>
    public static byte[] EncodeBody(IPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return MessagePackSerializer.Serialize(packet.GetType(), packet, Options);
    }

    /// <summary>Decodes a header frame.</summary>
    public static bool TryDecodeHeader(ReadOnlyMemory<byte> frame, out PacketHeader? header, out DecodeError? error)
    {
        header = null;
        error = null;
        if (frame.Length == 0 || frame.Length > MaxHeaderBytes)
        {
            error = new DecodeError("header", $"expected a header frame of 1..{MaxHeaderBytes} bytes, got {frame.Length}");
            return false;
        }

        try
        {
            var reader = new MessagePackReader(frame);
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                error = new DecodeError("header", $"expected a MessagePack array, got {reader.NextMessagePackType}");
                return false;
            }

            var count = reader.ReadArrayHeader();
            if (count < 7)
            {
                error = new DecodeError("header", $"expected an array of 7 elements, got {count}");
                return false;
            }

            var version = reader.ReadInt32();
            if (version < ProtocolVersion.MinSupported || version > ProtocolVersion.Current)
            {
                error = new DecodeError("header.version", $"protocol version {version} is not supported (this build speaks {ProtocolVersion.MinSupported}..{ProtocolVersion.Current}); upgrade the older side");
                return false;
            }

            var code = (PacketCode)reader.ReadUInt16();
            var id = ReadGuid(ref reader, "messageId") ?? throw new MessagePackSerializationException("messageId: expected 16 bytes, got nil");
            var corr = ReadGuid(ref reader, "correlationId");
            var sender = reader.ReadString() ?? "";
            var seq = reader.ReadInt64();
            var sent = reader.ReadInt64();
            for (var i = 7; i < count; i++)
            {
                reader.Skip(); // later versions may append fields
            }

            header = new PacketHeader(version, code, id, corr, sender, seq, sent);
            return true;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException)
        {
            // ArgumentException: a bin/str length beyond the frame (the reader slices before it checks).
            error = new DecodeError("header", "malformed header: " + ex.Message);
            return false;
        }
    }

    /// <summary>Decodes a body of the type the header's code names.</summary>
    public static bool TryDecodeBody(PacketCode code, ReadOnlyMemory<byte> frame, out IPacket? packet, out DecodeError? error)
    {
        packet = null;
        error = null;
        var type = PacketRegistry.TypeOf(code);
        if (type is null)
        {
            error = new DecodeError("header.code", $"unknown packet code {(int)code}");
            return false;
        }

        if (frame.Length > MaxBodyBytes)
        {
            error = new DecodeError("body", $"body of {frame.Length} bytes exceeds the limit of {MaxBodyBytes}");
            return false;
        }

        try
        {
            packet = (IPacket?)MessagePackSerializer.Deserialize(type, frame, Options);
            if (packet is null)
            {
                error = new DecodeError("body", $"expected a {type.Name}, got nil");
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException or FormatException)
        {
            error = new DecodeError("body", $"expected a {type.Name} ({(int)code}): {Innermost(ex).Message}");
            return false;
        }
    }

    /// <summary>Decodes a header frame and a body frame.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> headerFrame, ReadOnlyMemory<byte> bodyFrame, out PacketHeader? header, out IPacket? packet, out DecodeError? error)
    {
        packet = null;
        if (!TryDecodeHeader(headerFrame, out header, out error))
        {
            return false;
        }

        return TryDecodeBody(header!.Code, bodyFrame, out packet, out error);
    }

    private static Guid? ReadGuid(ref MessagePackReader reader, string field)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var seq = reader.ReadBytes() ?? throw new MessagePackSerializationException(field + ": expected 16 bytes");
        if (seq.Length != 16)
        {
            throw new MessagePackSerializationException($"{field}: expected 16 bytes, got {seq.Length}");
        }

        return seq.IsSingleSegment ? new Guid(seq.FirstSpan) : new Guid(seq.ToArray());
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
