using Megatest.Protocol;

namespace Megatest.Monitor;

/// <summary>The client's position in one run's change stream.</summary>
internal sealed class RunStream(long runId, string target, string runName)
{
    /// <summary>runs.id.</summary>
    public long RunId { get; } = runId;

    /// <summary>Target of the run.</summary>
    public string Target { get; set; } = target;

    /// <summary>Run name.</summary>
    public string RunName { get; set; } = runName;

    /// <summary>True once a snapshot has been applied and no gap seen since.</summary>
    public bool Synced { get; set; }

    /// <summary>Sequence of the last change applied (or the snapshot's).</summary>
    public long Sequence { get; set; }

    /// <summary>Changes held while a snapshot is on its way.</summary>
    public List<(long Sequence, IPacket Packet)> Buffer { get; } = [];

    /// <summary>The id of the snapshot request in flight, if any.</summary>
    public Guid? SnapshotRequest { get; set; }

    /// <summary>When the snapshot request was sent (Environment.TickCount64).</summary>
    public long SnapshotAskedAt { get; set; }
}
