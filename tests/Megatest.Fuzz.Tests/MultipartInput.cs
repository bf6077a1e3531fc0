namespace Megatest.Fuzz.Tests;

/// <summary>One multipart-message fuzz input for PacketSocketExtensions.TryDecode.</summary>
/// <param name="Frames">The frames of the message.</param>
/// <param name="HasRouting">Whether the receiving socket expects a routing frame.</param>
/// <param name="Origin">How it was made.</param>
public sealed record MultipartInput(byte[][] Frames, bool HasRouting, string Origin)
{
    /// <summary>A printable form.</summary>
    public string Describe() =>
        $"{Origin}; hasRouting {HasRouting}; {Frames.Length} frames: " + string.Join(" | ", Frames.Select(f => $"({f.Length} B) {Hex.Of(f, 256)}"));
}
