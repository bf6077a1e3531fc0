namespace Megatest.Fuzz.Tests;

/// <summary>One MessagePack token of a valid frame: where its type byte is and how long its header and payload are.</summary>
/// <param name="Offset">Index of the type byte.</param>
/// <param name="HeaderLength">Type byte plus length/value bytes.</param>
/// <param name="PayloadLength">Bytes of string/binary/ext payload after the header.</param>
/// <param name="LengthBytes">Size of the explicit length field (0 for fix types and scalars).</param>
/// <param name="IsContainer">Array or map.</param>
/// <param name="IsString">str or bin.</param>
public readonly record struct MsgPackToken(int Offset, int HeaderLength, int PayloadLength, int LengthBytes, bool IsContainer, bool IsString);
