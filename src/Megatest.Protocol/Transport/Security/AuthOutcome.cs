namespace Megatest.Protocol.Transport.Security;

/// <summary>The values of <see cref="AuthReply.Outcome"/>.</summary>
public static class AuthOutcome
{
    /// <summary>Authenticated.</summary>
    public const string Ok = "ok";

    /// <summary>The public key is not in the allowlist.</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>The proof is malformed or does not open.</summary>
    public const string BadProof = "bad-proof";

    /// <summary>The routing identity is too short to be unguessable.</summary>
    public const string WeakIdentity = "weak-identity";

    /// <summary>A packet other than AuthHello from a peer that has not authenticated: dropped.</summary>
    public const string NotAuthenticated = "not-authenticated";
}
