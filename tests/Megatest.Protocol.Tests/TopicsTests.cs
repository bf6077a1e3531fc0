using System.Text;
using Megatest.Protocol.Transport;

namespace Megatest.Protocol.Tests;

/// <summary>PUB topics are part of the wire contract (subscribers filter on their prefixes).</summary>
public sealed class TopicsTests
{
    [Fact]
    public void Topics_HaveTheDocumentedForms()
    {
        Assert.Equal("run/42/", Topics.Run(42));
        Assert.Equal("run/42/test/compile", Topics.Test(42, "compile"));
        Assert.Equal("probe/abc", Topics.Probe("abc"));
        Assert.Equal(Encoding.UTF8.GetBytes("run/7/test/é"), Topics.Bytes(Topics.Test(7, "é")));
    }

    [Fact]
    public void RunTopic_IsAPrefixOfItsTestTopics_ButNotOfAnotherRun()
    {
        Assert.StartsWith(Topics.Run(4), Topics.Test(4, "t"), StringComparison.Ordinal);
        Assert.False(Topics.Test(42, "t").StartsWith(Topics.Run(4), StringComparison.Ordinal));
    }
}
