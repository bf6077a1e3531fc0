namespace Megatest.Fuzz.Tests;

/// <summary>A valid encoded packet (header and body frames) and the tokens of both, the starting point of mutations.</summary>
/// <param name="Code">The packet's code.</param>
/// <param name="Header">The decoded-form header.</param>
/// <param name="HeaderFrame">The encoded header.</param>
/// <param name="BodyFrame">The encoded body.</param>
/// <param name="HeaderTokens">Tokens of the header frame.</param>
/// <param name="BodyTokens">Tokens of the body frame.</param>
public sealed record PacketSample(
    Megatest.Protocol.PacketCode Code,
    Megatest.Protocol.PacketHeader Header,
    byte[] HeaderFrame,
    byte[] BodyFrame,
    IReadOnlyList<MsgPackToken> HeaderTokens,
    IReadOnlyList<MsgPackToken> BodyTokens);
