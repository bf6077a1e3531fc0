using Megatest.Protocol;

namespace Megatest.Agent;

/// <summary>Sends a status packet to the db writer; the task ends when it is committed (acknowledged).</summary>
public interface IStatusSink
{
    /// <summary>Sends <paramref name="packet"/>; completes with the db writer's ack.</summary>
    Task<Ack> SendAsync(IPacket packet);
}
