using NetMQ;

namespace Megatest.Protocol.Tests;

/// <summary>Releases NetMQ's global context once the socket tests are done.</summary>
public sealed class NetMQFixture : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => NetMQConfig.Cleanup(block: false);
}
