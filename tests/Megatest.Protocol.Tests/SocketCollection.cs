namespace Megatest.Protocol.Tests;

/// <summary>The tests that open real sockets share one <see cref="NetMQFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SocketCollection : ICollectionFixture<NetMQFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "sockets";
}
