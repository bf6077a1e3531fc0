namespace Megatest.Scheduling;

/// <summary>A registered agent as the coordinator sees it.</summary>
public sealed class AgentInfo
{
    /// <summary>ROUTER identity of the agent's connection.</summary>
    public required byte[] Identity { get; init; }

    /// <summary>Agent name.</summary>
    public required string AgentId { get; init; }

    /// <summary>Host name.</summary>
    public required string Host { get; init; }

    /// <summary>Slots offered.</summary>
    public int Slots { get; init; }

    /// <summary>Load per core the agent last reported.</summary>
    public double Load { get; set; }

    /// <summary>Host types served.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Tests launched on it and not yet ended.</summary>
    public HashSet<long> Running { get; } = [];

    /// <summary>Environment.TickCount64 of the last packet from it.</summary>
    public long LastSeen { get; set; }

    /// <summary>Free slots now.</summary>
    public int Free => Slots - Running.Count;

    /// <summary>Slots promised to launches decided but not yet carried out.</summary>
    public int Reserved { get; set; }

    /// <summary>Slots neither running nor promised.</summary>
    public int Available => Free - Reserved;
}
