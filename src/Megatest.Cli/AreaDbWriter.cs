using Megatest.Config;
using Megatest.DbWriter;
using Megatest.Protocol.Transport.Security;
using Megatest.Storage;

namespace Megatest.Cli;

/// <summary>The db writer settings an area's megatest.config gives (database path, keys, <c>[db] api</c>).</summary>
public static class AreaDbWriter
{
    /// <summary>Options for the db writer of <paramref name="area"/>, listening on the given endpoints (default: free loopback ports).</summary>
    public static DbWriterOptions Options(AreaConfig area, string? endpoint = null, string? publishEndpoint = null, TransportSecurity? security = null)
    {
        ArgumentNullException.ThrowIfNull(area);
        return new DbWriterOptions
        {
            DatabasePath = area.DatabasePath,
            Keys = area.Keys,
            Layout = area.PerRunDatabases ? DatabaseLayout.PerRun : DatabaseLayout.Legacy,
            Endpoint = endpoint ?? "tcp://127.0.0.1:0",
            PublishEndpoint = publishEndpoint ?? "tcp://127.0.0.1:0",
            Security = security,
        };
    }
}
