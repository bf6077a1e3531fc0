using Megatest.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Megatest.Cli.Hosting;

/// <summary>
/// Builds the Microsoft.Extensions.Hosting host of one daemon verb: settings from megatest.config
/// <c>[services]</c>, <c>MEGATEST_*</c> environment variables and <c>--name value</c> arguments; structured
/// logging on standard error (plain or JSON); a clean stop on SIGTERM and Ctrl-C.
/// </summary>
public static class DaemonHost
{
    /// <summary>Creates the builder with configuration and logging set up; the caller adds the role.</summary>
    public static HostApplicationBuilder CreateBuilder(CliArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var argv = Normalise(args.VerbArgs);
        foreach (var word in argv.Where(w => w.StartsWith("--", StringComparison.Ordinal)))
        {
            var name = word.Split('=', 2)[0];
            if (!DaemonSettings.SwitchMappings.ContainsKey(name))
            {
                throw new UsageException($"{args.Verb}: unknown setting {name}; settings are " + string.Join(" ", DaemonSettings.SwitchMappings.Keys));
            }
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        // First pass: environment and arguments alone, to find the area whose [services] lie beneath them.
        var early = new ConfigurationBuilder()
            .AddEnvironmentVariables("MEGATEST_")
            .AddCommandLine(argv, DaemonSettings.SwitchMappings)
            .Build();
        var areaDir = early[nameof(DaemonSettings.Area)] is { Length: > 0 } a ? Path.GetFullPath(a) : Directory.GetCurrentDirectory();
        var services = ServiceEndpoints.FromDirectory(areaDir);
        var fromConfig = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [nameof(DaemonSettings.Coordinator)] = services.Coordinator,
            [nameof(DaemonSettings.DbWriter)] = services.DbWriter,
            [nameof(DaemonSettings.DbWriterPublish)] = services.DbWriterPublish,
            [nameof(DaemonSettings.Security)] = services.Security.Mode,
            [nameof(DaemonSettings.KeysDir)] = services.Security.KeysDir,
            [nameof(DaemonSettings.Key)] = services.Security.Key,
            [nameof(DaemonSettings.ServerKey)] = services.Security.ServerKey,
        };
        builder.Configuration.AddInMemoryCollection(fromConfig.Where(kv => kv.Value is not null));
        builder.Configuration.AddEnvironmentVariables("MEGATEST_");
        builder.Configuration.AddCommandLine(argv, DaemonSettings.SwitchMappings);

        var settings = new DaemonSettings();
        builder.Configuration.Bind(settings);
        settings.Area ??= TryFindArea(areaDir);
        builder.Services.AddSingleton(settings);

        var level = args.Has("-debug") || args.Has("-v") ? LogLevel.Debug : args.Has("-q") ? LogLevel.Warning : LogLevel.Information;
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(level);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (string.Equals(settings.LogFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "O");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        // Standard output is for ready lines and monitor data; every log line goes to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        return builder;
    }

    /// <summary>Builds and runs the host until SIGTERM or Ctrl-C; returns the exit code.</summary>
    public static int Run(HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var host = builder.Build();
        host.Run();
        return Environment.ExitCode;
    }

    private static string? TryFindArea(string directory)
    {
        try
        {
            return AreaConfig.Load(directory, null, EnvironmentScope.FromProcess()).TopPath;
        }
        catch (AreaNotFoundException)
        {
            return null;
        }
    }

    private static string[] Normalise(IReadOnlyList<string> words)
    {
        // A bare "--once" is a switch; the configuration reader wants a value.
        var list = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            list.Add(words[i] == "--once" && (i + 1 >= words.Count || words[i + 1].StartsWith('-')) ? "--once=true" : words[i]);
        }

        return [.. list];
    }
}
