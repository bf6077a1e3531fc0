namespace Megatest.Dashboard;

/// <summary>Where the dashboard finds the area, its database and the running roles, and where it listens.</summary>
public sealed class DashboardOptions
{
    /// <summary>Top path of the area (for megatest.config: waivercommentpatt).</summary>
    public string AreaPath { get; init; } = "";

    /// <summary>The area's megatest.db, opened read-only.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The coordinator's ROUTER (control packets); empty: controls are refused.</summary>
    public string CoordinatorEndpoint { get; init; } = "";

    /// <summary>The db writer's PUB (live changes); empty: no live updates.</summary>
    public string PublishEndpoint { get; init; } = "";

    /// <summary>The db writer's ROUTER (WAIVED status changes, subscription probes); empty: waivers are refused.</summary>
    public string DbWriterEndpoint { get; init; } = "";

    /// <summary>Where to listen; port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>Access token; required from every client when set. When the bind address is not loopback and no token is given, one is generated.</summary>
    public string? Token { get; init; }

    /// <summary>How long a control or waiver waits for its acknowledgement.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>CURVE keys of the dashboard's links to the daemons ([services] security curve); null for plain links.</summary>
    public Megatest.Protocol.Transport.Security.TransportSecurity? Security { get; init; }
}
