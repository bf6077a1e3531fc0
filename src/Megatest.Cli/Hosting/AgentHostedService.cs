using Megatest.Agent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Megatest.Cli.Hosting;

/// <summary>`megatest agent`: runs an <see cref="AgentService"/> for the host's lifetime; stopping kills its running tests.</summary>
public sealed class AgentHostedService(AgentOptions options, ILoggerFactory logs, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private readonly ILogger _logger = logs.CreateLogger("agent");
    private readonly AgentService _service = new(options, logs.CreateLogger("agent"));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service.Start();
        // --idle-exit / --max-tests: the agent retires by itself and the process ends.
        _service.Retired.Register(lifetime.StopApplication);
        ReadyLine.Print("agent", $"{options.AgentId} in-test {_service.InTestEndpoint} coordinator {options.CoordinatorEndpoint}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _service.Stop();
        _logger.LogInformation("agent stopped");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _service.Dispose();
}
