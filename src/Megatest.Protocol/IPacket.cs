namespace Megatest.Protocol;

/// <summary>A packet body; its type is named on the wire only by <see cref="PacketCode"/>.</summary>
public interface IPacket
{
    /// <summary>The wire code of this packet type.</summary>
    PacketCode Code { get; }
}
