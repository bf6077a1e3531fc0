using System.Buffers;
using MessagePack;

namespace Megatest.Protocol.Tests;

/// <summary>Hand-built frames for tests that need bytes the encoder would never write.</summary>
public static class Frames
{
    /// <summary>A header array with the given version and code, and <paramref name="extra"/> elements appended after the 7.</summary>
    public static byte[] Header(int version, ushort code, int extra = 0, int messageIdLength = 16)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(7 + extra);
        writer.Write(version);
        writer.Write(code);
        writer.Write(GoldenExamples.MessageId.ToByteArray().AsSpan(0, messageIdLength));
        writer.WriteNil();
        writer.Write(GoldenExamples.SenderId);
        writer.Write(GoldenExamples.Sequence);
        writer.Write(GoldenExamples.SentAtUnixMs);
        for (var i = 0; i < extra; i++)
        {
            if (i % 2 == 0)
            {
                writer.Write("later field " + i);
            }
            else
            {
                writer.WriteMapHeader(1);
                writer.Write("nested");
                writer.WriteArrayHeader(2);
                writer.Write(1);
                writer.WriteNil();
            }
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A body array with <paramref name="extra"/> elements appended after those of <paramref name="body"/>.</summary>
    public static byte[] WithTrailingElements(byte[] body, int extra)
    {
        var reader = new MessagePackReader(body);
        var count = reader.ReadArrayHeader();
        var rest = body.AsSpan((int)reader.Consumed);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(count + extra);
        writer.WriteRaw(rest);
        for (var i = 0; i < extra; i++)
        {
            switch (i % 3)
            {
                case 0:
                    writer.Write("a key of a later version");
                    break;
                case 1:
                    writer.WriteArrayHeader(2);
                    writer.Write(5_000_000_000L);
                    writer.WriteMapHeader(1);
                    writer.Write("k");
                    writer.Write(1.5);
                    break;
                default:
                    writer.WriteNil();
                    break;
            }
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A body array holding only the first <paramref name="keep"/> elements of <paramref name="body"/>.</summary>
    public static byte[] WithFirstElements(byte[] body, int keep)
    {
        var reader = new MessagePackReader(body);
        reader.ReadArrayHeader();
        var start = (int)reader.Consumed;
        for (var i = 0; i < keep; i++)
        {
            reader.Skip();
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(keep);
        writer.WriteRaw(body.AsSpan(start, (int)reader.Consumed - start));
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
