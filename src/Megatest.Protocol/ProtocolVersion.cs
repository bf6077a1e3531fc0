namespace Megatest.Protocol;

/// <summary>
/// The one wire version. Bump it when a key's meaning or type changes, a key number is reused,
/// a wire enum is renumbered, or the header or frame layout changes. New keys at the end and new
/// packet codes need no bump.
/// History:
///   1 - first version: header array of 7, MessagePack bodies with integer keys.
/// </summary>
public static class ProtocolVersion
{
    /// <summary>The version this build writes.</summary>
    public const int Current = 1;

    /// <summary>The oldest version this build reads.</summary>
    public const int MinSupported = 1;
}
