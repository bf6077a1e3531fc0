using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Megatest.Config;
using Megatest.Core;
using Megatest.Protocol;
using Megatest.Storage;

namespace Megatest.Cli;

/// <summary>
/// <c>megatest -migrate-home [-homehost HOST]</c> (RFC M03): moves the area's home, where its coordinator and db writer
/// run, to this host. Only when the area is quiet (no test LAUNCHED, REMOTEHOSTSTART, RUNNING or KILLREQ, and no test
/// changed for <c>[server] quiet-minutes</c>, default 30); under the area's <see cref="HomeLock"/>; and only over the
/// pointer it started from, so of two racing migrations exactly one wins. Daemons found through the pointer or
/// <c>[services]</c> are stopped by a <see cref="StopRequest"/> and started again here; with the embedded roles only
/// the pointer moves.
/// </summary>
public static class HomeMigration
{
    /// <summary>Default of <c>[server] quiet-minutes</c>.</summary>
    public const double DefaultQuietMinutes = 30;

    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] s_active = [States.Launched, States.RemoteHostStart, States.Running, States.KillReq];

    /// <summary>True when the command line asks for a migration.</summary>
    public static bool Applies(CliArgs args) => args.Has("-migrate-home");

    /// <summary>Runs the migration; 0 when the home moved, an exception (non-zero exit) when refused or failed.</summary>
    public static int Execute(CliArgs args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), null, EnvironmentScope.FromProcess());
        var here = args.Get("-homehost") is { Length: > 0 } h ? h : BestGuessAddress();
        var quiet = QuietMinutes(area);
        var start = HomePointer.Read(area.TopPath);
        CheckQuiet(area, quiet);

        using (HomeLock.Take(area.TopPath, here))
        {
            var now = HomePointer.Read(area.TopPath);
            if ((now?.Generation ?? 0) != (start?.Generation ?? 0))
            {
                throw new UsageException(
                    $"refused: the home of this area moved while this migration started (now {now?.Host}, generation {now?.Generation}); " +
                    "run -migrate-home again to move it here");
            }

            CheckQuiet(area, quiet);
            var services = ServiceEndpoints.From(area);
            var moved = CoordinatorLink.Find(services) is { } coordinator
                ? MoveDaemons(area, here, coordinator, services)
                : new HomePointer(here, ServiceEndpoints.None, 0, 0, new Dictionary<string, int>());
            moved = moved with { Generation = (start?.Generation ?? 0) + 1, Since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
            moved.Write(area.TopPath);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"home of {area.TopPath} moved to {here} (generation {moved.Generation})") +
                (moved.Services.Coordinator is { } c ? $": coordinator {c}, dbwriter {moved.Services.DbWriter}, dbwriter-publish {moved.Services.DbWriterPublish}" : ""));
        }

        return 0;
    }

    private static void CheckQuiet(AreaConfig area, double quietMinutes)
    {
        if (!File.Exists(area.DatabasePath))
        {
            return;
        }

        using var db = MegatestQueries.Open(area.DatabasePath);
        var active = db.TestsInStates(s_active);
        if (active.Count > 0)
        {
            var names = active.Take(5).Select(t => $"{(t.ItemPath.Length == 0 ? t.TestName : t.TestName + "/" + t.ItemPath)} {t.State}");
            throw new UsageException(
                $"refused: the area is not quiet: {active.Count} tests are running ({string.Join(", ", names)}); " +
                "migrate when they have ended");
        }

        var idle = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - db.LastTestChange();
        if (idle < quietMinutes * 60)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"refused: the area is not quiet: a test changed {idle} s ago, less than [server] quiet-minutes {quietMinutes} ago"));
        }
    }

    private static HomePointer MoveDaemons(AreaConfig area, string here, string coordinator, ServiceEndpoints services)
    {
        var reason = $"home of {area.TopPath} moves to {here}";
        Stop("coordinator", coordinator, reason, services);
        if (services.DbWriter is { } dbwriter)
        {
            Stop("db writer", ServiceEndpoints.Connectable(dbwriter), reason, services);
        }

        var logs = Path.Combine(area.TopPath, "logs");
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var (dbPid, dbReady) = DetachedDaemon.Start(Path.Combine(logs, $"dbwriter-{here}-{stamp}.log"), "dbwriter",
            "--area", area.TopPath, "--dbwriter", "tcp://0.0.0.0:0", "--dbwriter-publish", "tcp://0.0.0.0:0");
        // "ready: dbwriter tcp://0.0.0.0:P publish tcp://0.0.0.0:Q"
        var dbWords = dbReady.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dbEndpoint = Reachable(dbWords[0], here);
        var publishEndpoint = Reachable(dbWords[^1], here);
        var (coordinatorPid, coordinatorReady) = DetachedDaemon.Start(Path.Combine(logs, $"coordinator-{here}-{stamp}.log"), "coordinator",
            "--area", area.TopPath, "--coordinator", "tcp://0.0.0.0:0", "--dbwriter", dbEndpoint, "--dbwriter-publish", publishEndpoint);
        var coordinatorEndpoint = Reachable(coordinatorReady.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], here);
        return new HomePointer(
            here,
            new ServiceEndpoints(coordinatorEndpoint, dbEndpoint, publishEndpoint),
            0,
            0,
            new Dictionary<string, int>(StringComparer.Ordinal) { ["coordinator"] = coordinatorPid, ["dbwriter"] = dbPid });
    }

    private static void Stop(string role, string endpoint, string reason, ServiceEndpoints services)
    {
        using var client = new ControlClient(endpoint, services.ClientSecurity());
        switch (client.Ask(new StopRequest { Reason = reason }, s_stopTimeout))
        {
            case ControlAck { Accepted: true }:
                return;
            case ControlAck nack:
                throw new UsageException($"refused: the {role} at {endpoint} would not stop: {nack.Reason}");
            case null:
                throw new UsageException($"the {role} at {endpoint} did not answer the stop request within {s_stopTimeout.TotalSeconds:0} s; the pointer was not changed");
            default:
                throw new UsageException($"the {role} at {endpoint} answered the stop request with an unexpected packet");
        }
    }

    private static string Reachable(string bound, string host) =>
        bound.Replace("tcp://0.0.0.0:", "tcp://" + host + ":", StringComparison.Ordinal);

    private static double QuietMinutes(AreaConfig area)
    {
        var value = area.Megatest.Get("server", "quiet-minutes")?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return DefaultQuietMinutes;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes >= 0)
        {
            return minutes;
        }

        var loc = area.Megatest.LocationOf("server", "quiet-minutes");
        throw new ConfigException(loc?.File ?? area.FileName, loc?.Line ?? 0, $"[server] quiet-minutes is '{value}'; expected a number of minutes (0 or more)");
    }

    private static string BestGuessAddress()
    {
        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName())
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString() ?? "127.0.0.1";
        }
        catch (SocketException)
        {
            return "127.0.0.1";
        }
    }
}
