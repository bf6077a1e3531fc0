using Megatest.Protocol;
using Megatest.Protocol.Transport.Security;

namespace Megatest.Cli;

/// <summary>Finds a running coordinator from megatest.config <c>[services]</c>: configured and answering a probe.</summary>
public static class CoordinatorLink
{
    /// <summary>How long a coordinator has to answer the probe.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>True when a coordinator answers at <paramref name="endpoint"/> within <paramref name="timeout"/>.</summary>
    public static bool Answers(string endpoint, TimeSpan timeout, TransportSecurity? security)
    {
        using var client = new ControlClient(endpoint, security);
        return client.Ask(new SubscribeProbe { Token = Guid.NewGuid().ToString("N") }, timeout) is not null;
    }

    /// <summary>The configured coordinator when it answers, else null.</summary>
    public static string? Find(ServiceEndpoints services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Coordinator is not { } configured)
        {
            return null;
        }

        var endpoint = ServiceEndpoints.Connectable(configured);
        return Answers(endpoint, ProbeTimeout, services.ClientSecurity()) ? endpoint : null;
    }
}
