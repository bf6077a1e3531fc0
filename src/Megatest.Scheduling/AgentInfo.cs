namespace Megatest.Scheduling;

/// <summary>A registered agent as the coordinator sees it.</summary>
public sealed class AgentInfo
{
    /// <summary>ROUTER identity of the agent's connection.</summary>
    public required byte[] Identity { get; init; }

    /// <summary>Agent name.</summary>
    public required string AgentId { get; init; }

    /// <summary>Sender id of its packets: one per agent process, so a hello with another one comes from an agent that started again.</summary>
    public string Sender { get; init; } = "";

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

    /// <summary>Tests launched on it since it registered.</summary>
    public int Taken { get; set; }

    /// <summary>
    /// Most tests it takes in its life, from a label <c>max-tests:N</c> (a one-shot agent of a one-job-per-test
    /// Slurm job says <c>max-tests:1</c>); 0 means no limit.
    /// </summary>
    public int MaxTests => Labels.Select(l => l.StartsWith(MaxTestsLabel, StringComparison.Ordinal)
        && int.TryParse(l.AsSpan(MaxTestsLabel.Length), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0).FirstOrDefault(n => n > 0);

    /// <summary>Prefix of the label that limits how many tests an agent takes.</summary>
    public const string MaxTestsLabel = "max-tests:";

    /// <summary>Slots neither running nor promised (none once a limited agent has taken or been promised its tests).</summary>
    public int Available => MaxTests > 0 && Taken + Reserved >= MaxTests ? 0 : Free - Reserved;
}
