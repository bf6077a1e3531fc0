using Megatest.Protocol;

namespace Megatest.Agent;

/// <summary>Sends a status packet to the db writer; the task ends when it is committed (acknowledged).</summary>
public interface IStatusSink
{
    /// <summary>
    /// Sends <paramref name="packet"/>; completes with the db writer's ack. The task may complete on the sender's
    /// own thread, so continuations that do real work must be queued elsewhere (<c>TaskScheduler.Default</c>).
    /// </summary>
    Task<Ack> SendAsync(IPacket packet);

    /// <summary>
    /// Sends <paramref name="packets"/> in this order, together (an agent sends them as one bundle, which the db writer
    /// applies in one transaction); one task per packet, as <see cref="SendAsync"/>.
    /// </summary>
    IReadOnlyList<Task<Ack>> SendAllAsync(IReadOnlyList<IPacket> packets) => [.. packets.Select(SendAsync)];
}
