using Megatest.Config;

namespace Megatest.Dashboard;

/// <summary>
/// <c>megatest dashboard [-bind ADDRESS:PORT] [-token T]</c>: serves the web dashboard of the area in the current
/// directory until cancelled. Endpoints of the running roles come from megatest.config <c>[services]</c>
/// (<c>coordinator</c>, <c>dbwriter</c>, <c>dbwriter-publish</c>); without them the dashboard is read-only and not live.
/// </summary>
public static class DashboardCommand
{
    /// <summary>Runs the verb; returns the exit code (0 after a clean stop, 2 for bad arguments, 1 when the area cannot be served).</summary>
    public static int Run(string[] args, TextWriter output, CancellationToken cancel) =>
        RunIn(Directory.GetCurrentDirectory(), args, output, cancel);

    /// <summary>Runs the verb for the area found from <paramref name="startDirectory"/>.</summary>
    internal static int RunIn(string startDirectory, string[] args, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string bind = "127.0.0.1:0";
        string? token = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "dashboard":
                    break;
                case "-bind" when i + 1 < args.Length:
                    bind = args[++i];
                    break;
                case "-token" when i + 1 < args.Length:
                    token = args[++i];
                    break;
                default:
                    output.WriteLine($"megatest dashboard: unknown argument '{args[i]}'. Usage: megatest dashboard [-bind ADDRESS:PORT] [-token TOKEN]");
                    return 2;
            }
        }

        AreaConfig area;
        try
        {
            area = AreaConfig.Load(startDirectory, null, EnvironmentScope.FromProcess());
        }
        catch (Exception ex) when (ex is AreaNotFoundException or ConfigException or IOException or Megatest.Protocol.Transport.Security.KeyFileException)
        {
            output.WriteLine("megatest dashboard: " + ex.Message);
            return 1;
        }

        var services = (string key) => area.Megatest.Get("services", key)?.Trim() ?? "";
        var dbdir = area.Megatest.Get("setup", "dbdir")?.Trim();
        var dbPath = Path.Combine(string.IsNullOrEmpty(dbdir) ? area.TopPath : Path.GetFullPath(Path.Combine(area.TopPath, dbdir)), "megatest.db");
        var options = new DashboardOptions
        {
            AreaPath = area.TopPath,
            DatabasePath = dbPath,
            CoordinatorEndpoint = services("coordinator"),
            DbWriterEndpoint = services("dbwriter"),
            PublishEndpoint = services("dbwriter-publish"),
            Security = Megatest.Protocol.Transport.Security.SecuritySettings.From(services).Load(serves: false),
            Urls = ToUrl(bind),
            Token = token,
        };

        using var server = new DashboardServer(options);
        try
        {
            server.StartAsync(cancel).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            output.WriteLine($"megatest dashboard: cannot listen on {bind}: {ex.Message}");
            return 1;
        }

        if (options.PublishEndpoint.Length == 0)
        {
            output.WriteLine("WARNING: no [services] dbwriter-publish in megatest.config: the dashboard shows the database but no live changes.");
        }

        if (options.CoordinatorEndpoint.Length == 0)
        {
            output.WriteLine("WARNING: no [services] coordinator in megatest.config: rerun, kill, clean and archive are refused.");
        }

        output.WriteLine("dashboard of " + area.TopPath + " on " + server.Url + (server.Token.Length > 0 ? "/?token=" + server.Token : ""));
        output.Flush();
        try
        {
            Task.Delay(Timeout.Infinite, cancel).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>"ADDRESS:PORT" (or a URL) as a Kestrel URL; IPv6 addresses are bracketed.</summary>
    internal static string ToUrl(string bind)
    {
        if (bind.StartsWith("http://", StringComparison.Ordinal) || bind.StartsWith("https://", StringComparison.Ordinal))
        {
            return bind;
        }

        var colon = bind.LastIndexOf(':');
        var host = colon < 0 ? bind : bind[..colon];
        var port = colon < 0 ? "0" : bind[(colon + 1)..];
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        return $"http://{(host.Length == 0 ? "127.0.0.1" : host)}:{port}";
    }
}
