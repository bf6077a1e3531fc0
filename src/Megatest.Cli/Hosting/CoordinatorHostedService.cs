using Megatest.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli.Hosting;

/// <summary>`megatest coordinator`: runs a <see cref="CoordinatorService"/> for the host's lifetime.</summary>
public sealed class CoordinatorHostedService(CoordinatorOptions options, ILoggerFactory logs, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private readonly ILogger _logger = logs.CreateLogger("coordinator");
    private readonly CoordinatorService _service = new(options, logs.CreateLogger("coordinator"));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service.Start();
        // A StopRequest (megatest -migrate-home) ends the daemon as SIGTERM does.
        _service.StopRequested.Register(lifetime.StopApplication);
        ReadyLine.Print("coordinator", _service.Endpoint);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _service.Stop();
        _logger.LogInformation("coordinator stopped");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _service.Dispose();
}
