namespace Megatest.Fuzz.Tests;

/// <summary>One packet fuzz input: a header frame, a body frame and how they were made.</summary>
/// <param name="Header">The header frame.</param>
/// <param name="Body">The body frame.</param>
/// <param name="Origin">Which generator and mutations produced it.</param>
public sealed record PacketInput(byte[] Header, byte[] Body, string Origin)
{
    /// <summary>A printable form (lengths, origin and the bytes in hex, cut at 1 KiB per frame).</summary>
    public string Describe() =>
        $"{Origin}; header ({Header.Length} B) {Hex.Of(Header)}; body ({Body.Length} B) {Hex.Of(Body)}";
}
