namespace Megatest.Storage;

/// <summary>A partial update of a test row: only the non-null properties are written.</summary>
public sealed record TestUpdate
{
    /// <summary>New state, or null to keep.</summary>
    public string? State { get; init; }

    /// <summary>New status, or null to keep. <c>AUTO</c> triggers the test-data rollup (SPEC §6.6).</summary>
    public string? Status { get; init; }

    /// <summary>New comment, or null to keep.</summary>
    public string? Comment { get; init; }

    /// <summary>New host, or null to keep.</summary>
    public string? Host { get; init; }

    /// <summary>New uname, or null to keep.</summary>
    public string? Uname { get; init; }

    /// <summary>New run directory, or null to keep.</summary>
    public string? RunDir { get; init; }

    /// <summary>New short directory, or null to keep.</summary>
    public string? ShortDir { get; init; }

    /// <summary>New start time (epoch seconds), or null to keep.</summary>
    public long? EventTime { get; init; }

    /// <summary>New run duration in seconds, or null to keep.</summary>
    public double? RunDuration { get; init; }

    /// <summary>New main log path, or null to keep.</summary>
    public string? FinalLogf { get; init; }

    /// <summary>New attemptnum (pid of the running step), or null to keep.</summary>
    public long? AttemptNum { get; init; }

    /// <summary>New CPU load sample, or null to keep.</summary>
    public double? CpuLoad { get; init; }

    /// <summary>New free disk sample, or null to keep.</summary>
    public double? DiskFree { get; init; }
}
