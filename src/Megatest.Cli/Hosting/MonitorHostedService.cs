using Megatest.Monitor;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli.Hosting;

/// <summary>`megatest monitor`: follows the change stream on its own thread; with --once it stops the host after the snapshots.</summary>
public sealed class MonitorHostedService(MonitorOptions options, IMonitorSink sink, ILoggerFactory logs, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Factory.StartNew(() =>
    {
        using var client = new StatusStreamClient(options, sink, logs.CreateLogger("monitor"));
        Console.Error.WriteLine($"ready: monitor {options.PublishEndpoint} target {options.Filter.Target} runname {options.Filter.RunName} testpatt {options.Filter.TestPatt}");
        client.Run(stoppingToken);
        if (options.Once)
        {
            lifetime.StopApplication();
        }
    }, stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
