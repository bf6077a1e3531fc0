using Megatest.Protocol;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Packet inputs that hit a known, reported bug in src/ and are therefore counted as excluded instead of run.
/// Each entry is recognised exactly (by reproducing the bug), so nothing else is left out; once the bug is fixed
/// its entry excludes nothing and can be deleted.
/// </summary>
public static class KnownPacketBugs
{
    /// <summary>
    /// Bug P1: PacketCodec.TryDecodeHeader does not catch ArgumentOutOfRangeException, which MessagePackReader.ReadBytes/
    /// ReadString throw for a bin32/str32 length of 2^31 or more (the length is cast to int and goes negative).
    /// </summary>
    public const string HeaderLengthOverflow =
        "P1: TryDecodeHeader lets ArgumentOutOfRangeException escape for a bin32/str32 length >= 2^31 in the header (messageId, correlationId or senderId)";

    /// <summary>The known bug <paramref name="headerFrame"/> hits, or null.</summary>
    public static string? Of(byte[] headerFrame)
    {
        try
        {
            PacketCodec.TryDecodeHeader(headerFrame, out _, out _);
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return HeaderLengthOverflow;
        }
        catch (Exception)
        {
            return null; // any other exception is not known: the fuzz check reports it as a crash
        }
    }
}
