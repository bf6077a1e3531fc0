using System.Diagnostics;
using Megatest.Config;
using Megatest.Protocol;
using Megatest.Scheduling;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>
/// megatest -run: checks the request, starts the embedded roles, drops a run packet to the coordinator,
/// prints progress from the change stream and a summary when the coordinator says the run ended.
/// </summary>
public static class RunCommand
{
    /// <summary>How often a progress line with counts is printed.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    /// <summary>How long the coordinator has to accept the run (the request goes again every few seconds meanwhile).</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How often a following -run sends its request again to the coordinator (see <see cref="Follow"/>).</summary>
    public static readonly TimeSpan FollowResendEvery = TimeSpan.FromSeconds(2);

    /// <summary>Runs; returns the exit code (0 when the run was carried out, whatever the tests' results).</summary>
    public static int Execute(CliArgs args, TextWriter output, TextWriter errors, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var target = args.Get("-target") ?? args.Get("-reqtarg") ?? Environment.GetEnvironmentVariable("MT_TARGET")
            ?? throw new UsageException("-run needs a target: -target VALUE1/VALUE2 (one value per key)");
        var runName = args.Get("-runname") ?? throw new UsageException("-run needs a run name: -runname NAME", 2);
        var request = new RunRequest
        {
            Target = target,
            RunName = runName,
            TestPatt = args.Get("-testpatt") ?? "",
            RerunStatuses = (args.Get("-rerun") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Force = args.Has("-force"),
            Preclean = args.Has("-preclean"),
            RerunAll = args.Has("-rerun-all"),
            RerunClean = args.Has("-rerun-clean"),
            TagExpr = args.Get("-tagexpr") ?? "",
            ModePatt = args.Get("--modepatt") ?? "",
            SetVars = ParseSetVars(args.Get("-setvars")),
            Owner = Environment.UserName,
            RequireTargetSection = args.Has("-reqtarg"),
        };
        errors.WriteLine("megatest " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)));

        // Check everything before anything is written: a bad request leaves no database, run or directory behind.
        var env = EnvironmentScope.FromProcess();
        var area = AreaConfig.Load(Directory.GetCurrentDirectory(), target, env);
        var plan = RunPlanner.Plan(area, request);
        foreach (var warning in plan.Warnings)
        {
            errors.WriteLine("WARNING: " + warning);
        }

        // A coordinator running as a daemon ([services] in megatest.config) takes the run; else the roles start here.
        var services = ServiceEndpoints.From(area);
        if (CoordinatorLink.Find(services) is { } coordinator)
        {
            var follow = !args.Has("-no-follow");
            if (follow && services.DbWriterPublish is null)
            {
                throw new UsageException("[services] dbwriter-publish is not set in megatest.config: cannot follow the run (use -no-follow)");
            }

            var security = services.ClientSecurity();
            if (follow && security is not null && services.DbWriter is null)
            {
                throw new UsageException("[services] dbwriter is not set in megatest.config: a secured site's change feed is sealed with a key that comes from the db writer, so the run cannot be followed (use -no-follow)");
            }

            errors.WriteLine("Using the coordinator at " + coordinator);
            var ran = Follow(coordinator, follow ? ServiceEndpoints.Connectable(services.DbWriterPublish!) : null, security, request, output, errors, services.DbWriter is null ? null : ServiceEndpoints.Connectable(services.DbWriter));
            if (ran == 0 && follow)
            {
                LifecycleCommands.AutoMigrate(area, target, runName, errors, logs);
            }

            return ran;
        }

        if (services.Coordinator is not null)
        {
            errors.WriteLine($"No coordinator answers at {services.Coordinator}: running the roles inside this process");
        }

        int exit;
        using (var roles = new EmbeddedRoles(area, logs))
        {
            exit = Follow(roles.CoordinatorEndpoint, roles.PublishEndpoint, null, request, output, errors);
        }

        if (exit == 0)
        {
            // [setup] auto-migrate: the roles are gone, so the db writer that marks the run MOVED is the only one.
            LifecycleCommands.AutoMigrate(area, target, runName, errors, logs);
        }

        return exit;
    }

    /// <summary>
    /// Drops the run packet and follows the run to its end; with a null <paramref name="publish"/> returns right after the ack.
    /// <paramref name="security"/> secures both links (null: plain, as the embedded roles are); the sealed change feed of a
    /// secured site needs <paramref name="dbWriter"/> (the db writer's ROUTER), where its key comes from.
    /// </summary>
    public static int Follow(string coordinator, string? publish, Megatest.Protocol.Transport.Security.TransportSecurity? security, RunRequest request, TextWriter output, TextWriter errors, string? dbWriter = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        using var follower = publish is null ? null : new ChangeFollower(publish, security, dbWriter);
        using var client = new ControlClient(coordinator, security);
        var (answer, sent, sends) = client.Request(request, AckTimeout, p => p is ControlAck);
        if (answer?.Packet is not ControlAck ack)
        {
            errors.WriteLine($"No answer from the coordinator at {coordinator} within {AckTimeout.TotalSeconds:0} s (the run request was sent {sends} times); " +
                $"whether the run started shows in: megatest -list-runs {request.RunName} -target {request.Target}");
            return 1;
        }

        if (!ack.Accepted)
        {
            errors.WriteLine("Run refused: " + ack.Reason);
            return 1;
        }

        output.WriteLine(ack.Reason);
        output.Flush();
        if (follower is null)
        {
            return 0;
        }

        var printed = new Dictionary<long, string>();
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        var lastAsked = TimeSpan.Zero;
        var lastHeard = TimeSpan.Zero;
        var silent = false;
        while (true)
        {
            // The same request again now and then: the coordinator answers it as the run it already carries out, and a
            // coordinator that restarted (and resumed the run) learns where to send RunEnded, or sends it if it was missed.
            if (clock.Elapsed - lastAsked >= FollowResendEvery)
            {
                lastAsked = clock.Elapsed;
                client.Resend(sent, request);
            }

            foreach (var row in follower.Poll(ack.RunId, TimeSpan.FromMilliseconds(100)))
            {
                if (IsFinished(row) && printed.GetValueOrDefault(row.Id) != row.State + row.Status)
                {
                    printed[row.Id] = row.State + row.Status;
                    output.WriteLine(ChangeFollower.Line(row, request.Target, request.RunName));
                }
            }

            var received = client.Receive(TimeSpan.Zero);
            if (received is not null)
            {
                lastHeard = clock.Elapsed;
                if (silent)
                {
                    silent = false;
                    errors.WriteLine($"The coordinator at {coordinator} answers again");
                }
            }
            else if (!silent && clock.Elapsed - lastHeard > 3 * FollowResendEvery)
            {
                silent = true;
                errors.WriteLine($"The coordinator at {coordinator} does not answer; waiting for it (tests that run go on)");
            }

            if (received is { Packet: RunEnded ended } && ended.RunId == ack.RunId)
            {
                output.WriteLine("All tests launched and finished.");
                output.WriteLine(ended.Message);
                return 0;
            }

            if (clock.Elapsed - lastProgress >= ProgressEvery)
            {
                lastProgress = clock.Elapsed;
                var counts = follower.Rows.Values.Where(r => r.RunId == ack.RunId)
                    .GroupBy(r => r.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
                output.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] " + string.Join(", ", counts));
            }
        }
    }

    private static bool IsFinished(TestRowInfo row) =>
        row.State is "COMPLETED" or "KILLED" or "INCOMPLETE" || (row.State == "NOT_STARTED" && row.Status != "n/a");

    private static Dictionary<string, string> ParseSetVars(string? text)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"-setvars: expected VAR=value, got '{pair}'");
            }

            vars[pair[..eq]] = pair[(eq + 1)..];
        }

        return vars;
    }
}
