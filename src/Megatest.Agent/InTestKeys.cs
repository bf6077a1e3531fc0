using Megatest.Protocol.Transport.Security;

namespace Megatest.Agent;

/// <summary>
/// The keys of one test on a secured agent's in-test endpoint: the endpoint's public key and the key pair the agent made
/// for this test alone (the agent accepts it only for this test's packets, and forgets it when the test ends).
/// </summary>
/// <param name="AgentKey">The in-test endpoint's public key (Z85), as <see cref="CmdInfo.AgentKey"/> carries it.</param>
/// <param name="Test">The test's key pair.</param>
public sealed record InTestKeys(string AgentKey, CurveKeyPair Test)
{
    /// <summary>The test's secret key (Z85), the value of <see cref="CmdInfo.KeyVariable"/>.</summary>
    public string Secret => Test.SecretKey!;

    /// <summary>The test's public key (Z85), what its AuthHello proves.</summary>
    public string PublicKey => Test.PublicKey;
}
