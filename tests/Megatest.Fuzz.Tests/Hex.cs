namespace Megatest.Fuzz.Tests;

/// <summary>Hex dumps for failure messages.</summary>
public static class Hex
{
    /// <summary>The first <paramref name="max"/> bytes in hex, with "…" when cut.</summary>
    public static string Of(ReadOnlySpan<byte> bytes, int max = 1024) =>
        bytes.Length <= max ? Convert.ToHexString(bytes) : Convert.ToHexString(bytes[..max]) + "…";
}
