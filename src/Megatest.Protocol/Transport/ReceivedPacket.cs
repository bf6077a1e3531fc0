namespace Megatest.Protocol.Transport;

/// <summary>A decoded packet with the routing frame it came with (ROUTER identity or PUB topic).</summary>
/// <param name="Routing">The routing frame, or null on sockets without one.</param>
/// <param name="Header">The decoded header.</param>
/// <param name="Packet">The decoded body.</param>
public sealed record ReceivedPacket(byte[]? Routing, PacketHeader Header, IPacket Packet);
