using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Megatest.Protocol.Tests;

/// <summary>
/// A golden file: the two frames of one packet stored as a 4-byte little-endian header length, the header
/// frame, then the body frame (the rest of the file); plus its readable hex dump.
/// </summary>
/// <param name="Header">The header frame.</param>
/// <param name="Body">The body frame.</param>
public sealed record GoldenFile(byte[] Header, byte[] Body)
{
    /// <summary>The folder of the golden files and the wire documentation.</summary>
    public static string Folder => Path.Combine(Megatest.Testing.TestPaths.RepoRoot, "schemas", "packets");

    /// <summary>The path of the current golden file of <paramref name="name"/>.</summary>
    public static string BinPath(string name) => Path.Combine(Folder, name + ".bin");

    /// <summary>The path of the hex view of a .bin file.</summary>
    public static string HexPath(string binPath) => Path.ChangeExtension(binPath, ".hex");

    /// <summary>The golden file of a packet as the current encoder writes it.</summary>
    public static GoldenFile Encode(PacketHeader header, IPacket packet) =>
        new(PacketCodec.EncodeHeader(header), PacketCodec.EncodeBody(packet));

    /// <summary>Splits the bytes of a .bin file into its frames.</summary>
    public static GoldenFile Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 4)
        {
            throw new InvalidDataException($"a golden file needs at least 4 bytes, got {bytes.Length}");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length < 0 || length > bytes.Length - 4)
        {
            throw new InvalidDataException($"header length {length} does not fit a file of {bytes.Length} bytes");
        }

        return new GoldenFile(bytes[4..(4 + length)], bytes[(4 + length)..]);
    }

    /// <summary>Reads a .bin file.</summary>
    public static GoldenFile Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>The bytes of the .bin file.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[4 + Header.Length + Body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Header.Length);
        Header.CopyTo(bytes, 4);
        Body.CopyTo(bytes, 4 + Header.Length);
        return bytes;
    }

    /// <summary>The text of the .hex view.</summary>
    public string ToHex(string name, PacketCode code)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {name} (packet code {(int)code}): golden example, written by tests/Megatest.Protocol.Tests.\n");
        text.Append(CultureInfo.InvariantCulture, $"# {name}.bin = 4-byte little-endian header length ({Header.Length}), header frame, body frame.\n");
        Dump(text, $"header frame, {Header.Length} bytes", Header);
        Dump(text, $"body frame, {Body.Length} bytes", Body);
        return text.ToString();
    }

    private static void Dump(StringBuilder text, string title, byte[] frame)
    {
        text.Append("\n== ").Append(title).Append('\n');
        for (var offset = 0; offset < frame.Length; offset += 16)
        {
            var line = frame.AsSpan(offset, Math.Min(16, frame.Length - offset));
            text.Append(offset.ToString("x8", CultureInfo.InvariantCulture)).Append(' ');
            for (var i = 0; i < 16; i++)
            {
                text.Append(i == 8 ? "  " : " ");
                text.Append(i < line.Length ? line[i].ToString("x2", CultureInfo.InvariantCulture) : "  ");
            }

            text.Append("  |");
            foreach (var b in line)
            {
                text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }

            text.Append("|\n");
        }
    }
}
