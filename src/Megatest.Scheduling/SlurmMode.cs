namespace Megatest.Scheduling;

/// <summary>How tests reach Slurm (<c>[slurm] mode</c>).</summary>
public enum SlurmMode
{
    /// <summary>Slurm jobs each run a <c>megatest agent</c> that registers, runs many tests and exits when idle (the default).</summary>
    AgentJobs,

    /// <summary>One Slurm job per test: each job runs a one-shot agent that takes exactly one test and exits (Megatest's classic launch).</summary>
    JobPerTest,
}
