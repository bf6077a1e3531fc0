namespace Megatest.Scheduling;

/// <summary>A Slurm job submitted by the <see cref="SlurmAgentPool"/>.</summary>
public sealed class SlurmJob
{
    /// <summary>Environment.TickCount64 at submission.</summary>
    public long SubmittedAt { get; init; }

    /// <summary>Whether its agent has registered with the coordinator.</summary>
    public bool Registered { get; set; }
}
