namespace Megatest.Scheduling;

/// <summary>A Slurm job submitted by the <see cref="SlurmAgentPool"/>.</summary>
public sealed class SlurmJob
{
    /// <summary>Environment.TickCount64 at submission.</summary>
    public long SubmittedAt { get; init; }

    /// <summary>The label its agent serves: <c>slurm</c>, or the host type whose launcher is slurm.</summary>
    public string Label { get; init; } = SlurmSettings.Label;

    /// <summary>Whether its agent has registered with the coordinator.</summary>
    public bool Registered { get; set; }
}
