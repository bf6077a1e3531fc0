using Megatest.Cli.Hosting;
using Megatest.Monitor;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>Daemon verbs: `megatest coordinator|agent|dbwriter|monitor|dashboard …`, each a long-running host, and `megatest keys …`.</summary>
public static class Verbs
{
    /// <summary>Runs the verb; unknown verbs are a usage error.</summary>
    public static int Run(CliArgs args, TextWriter output, TextWriter errors, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Verb == "dashboard")
        {
            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });
            return Megatest.Dashboard.DashboardCommand.Run([.. args.VerbArgs], output, stop.Token);
        }

        if (args.Verb == "keys")
        {
            return KeyCommands.Run(args.VerbArgs, output);
        }

        if (args.Verb is not ("coordinator" or "agent" or "dbwriter" or "monitor"))
        {
            throw new UsageException($"Unrecognised arguments: {args.Verb}");
        }

        var builder = DaemonHost.CreateBuilder(args);
        var settings = (DaemonSettings)builder.Services.First(s => s.ServiceType == typeof(DaemonSettings)).ImplementationInstance!;
        switch (args.Verb)
        {
            case "coordinator":
                builder.Services.AddMegatestCoordinator(settings);
                break;
            case "agent":
                builder.Services.AddMegatestAgent(settings);
                break;
            case "dbwriter":
                builder.Services.AddMegatestDbWriter(settings);
                break;
            case "monitor":
                var filter = new MonitorFilter(args.Get("-target"), args.Get("-runname"), args.Get("-testpatt"));
                builder.Services.AddMegatestMonitor(settings, filter, args.Get("-dumpmode") == "json");
                break;
        }

        return DaemonHost.Run(builder);
    }
}
