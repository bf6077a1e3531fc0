using Megatest.Config;
using Megatest.LogPro;
using Megatest.Scheduling;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>Chooses what to do from the command line and turns every error into one clear message and an exit code.</summary>
public static class CommandLine
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static int Run(string[] argv, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (argv.Length > 0 && argv[0] == "-logpro")
        {
            return LogProCommand.Run(argv[1..], Console.In, output, errors);
        }

        try
        {
            var args = CliArgs.Parse(argv);
            if (args.Get("-start-dir") is { } startDir)
            {
                if (!Directory.Exists(startDir))
                {
                    throw new UsageException($"-start-dir {startDir}: no such directory");
                }

                Directory.SetCurrentDirectory(startDir);
            }

            // Built on first use: a query that logs nothing does not pay for the logging stack's start-up.
            using var logs = new LazyLoggerFactory(() => LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(args.Has("-debug") || args.Has("-v") ? LogLevel.Debug : LogLevel.Warning)
                .AddFilter((_, _, level) => level >= (args.Has("-debug") || args.Has("-v") ? LogLevel.Debug : LogLevel.Warning))));
            return Dispatch(args, output, errors, logs);
        }
        catch (UsageException ex)
        {
            errors.WriteLine("megatest: " + ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is ConfigException or TargetException or AreaNotFoundException or PlanException or Megatest.Protocol.Transport.Security.KeyFileException)
        {
            errors.WriteLine("megatest: " + ex.Message);
            return 1;
        }
    }

    private static int Dispatch(CliArgs args, TextWriter output, TextWriter errors, ILoggerFactory logs)
    {
        if (args.Verb is not null)
        {
            return Verbs.Run(args, output, errors, logs);
        }

        // Console.In only for a utility that prompts: getting it sets up the terminal, which a query need not pay for (issue #9).
        if (UtilityCommands.TryRun(args, () => Console.In, output, errors) is { } utilityExit)
        {
            return utilityExit;
        }

        if (InTestCommands.Applies(args))
        {
            return InTestCommands.Execute(args, Console.In, output);
        }

        if (LifecycleCommands.Applies(args))
        {
            return LifecycleCommands.Execute(args, output, logs);
        }

        if (ControlCommands.Applies(args))
        {
            return ControlCommands.Execute(args, output, errors, logs);
        }

        if (ReportCommands.Applies(args))
        {
            return ReportCommands.Execute(args, output);
        }

        if (RunManagementCommands.Applies(args))
        {
            return RunManagementCommands.Execute(args, Console.In, output, logs);
        }

        if (HomeMigration.Applies(args))
        {
            return HomeMigration.Execute(args, output);
        }

        if (args.Has("-run"))
        {
            return RunCommand.Execute(args, output, errors, logs);
        }

        if (args.Has("-list-runs"))
        {
            return QueryCommands.ListRuns(args, output);
        }

        if (args.Has("-list-targets"))
        {
            return QueryCommands.ListTargets(args, output);
        }

        if (args.Has("-list-db-targets"))
        {
            return QueryCommands.ListDbTargets(args, output);
        }

        if (args.Has("-show-keys"))
        {
            return QueryCommands.ShowKeys(args, output);
        }

        if (args.Has("-list-disks"))
        {
            return QueryCommands.ListDisks(args, output);
        }

        if (args.Has("-show-config") || args.Has("-show-runconfig"))
        {
            return QueryCommands.ShowConfig(args, output, args.Has("-show-runconfig"));
        }

        if (args.Has("-version"))
        {
            output.WriteLine("megatest " + typeof(CommandLine).Assembly.GetName().Version);
            return 0;
        }

        output.WriteLine(Help.Text);
        return args.Has("-h") ? 0 : 1;
    }
}
