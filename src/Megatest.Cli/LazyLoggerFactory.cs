using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>An <see cref="ILoggerFactory"/> that builds the real one the first time a logger or provider is asked for.</summary>
internal sealed class LazyLoggerFactory : ILoggerFactory
{
    private readonly Lazy<ILoggerFactory> _inner;

    public LazyLoggerFactory(Func<ILoggerFactory> create)
    {
        _inner = new Lazy<ILoggerFactory>(create, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ILogger CreateLogger(string categoryName) => _inner.Value.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => _inner.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_inner.IsValueCreated)
        {
            _inner.Value.Dispose();
        }
    }
}
