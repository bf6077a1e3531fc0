using Megatest.DbWriter;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli.Hosting;

/// <summary>`megatest dbwriter`: runs a <see cref="DbWriterService"/> for the host's lifetime.</summary>
public sealed class DbWriterHostedService(DbWriterOptions options, ILoggerFactory logs, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private readonly ILogger _logger = logs.CreateLogger("dbwriter");
    private readonly DbWriterService _service = new(options, logs.CreateLogger("dbwriter"));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service.Start();
        // A StopRequest (megatest -migrate-home) ends the daemon as SIGTERM does.
        _service.StopRequested.Register(lifetime.StopApplication);
        ReadyLine.Print("dbwriter", $"{_service.Endpoint} publish {_service.PublishEndpoint}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _service.Stop();
        _logger.LogInformation("dbwriter stopped");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _service.Dispose();
}
