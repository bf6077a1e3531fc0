using System.Security.Cryptography;
using System.Text;
using NaCl;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The proof inside <see cref="AuthHello"/>: NaCl crypto_box (Curve25519, XSalsa20, Poly1305; MAC first, as libsodium's
/// crypto_box_easy and PyNaCl's Box) of <c>"megatest-auth-1" || server public key || routing identity</c> from the
/// client's secret key to the server's public key under a random 24-byte nonce. Only the holder of the client's secret
/// key can make it and only the server can open it; it names the routing identity it was made for, so it is worth
/// nothing on another connection.
/// </summary>
public static class AuthProof
{
    /// <summary>The context string that starts the proved text.</summary>
    public const string Context = "megatest-auth-1";

    private const int NonceBytes = 24;
    private const int MacBytes = 16;

    /// <summary>The hello a client with <paramref name="own"/> sends to the server with <paramref name="serverPublicKey"/> on a socket with <paramref name="routingIdentity"/>.</summary>
    public static AuthHello Create(CurveKeyPair own, byte[] serverPublicKey, byte[] routingIdentity)
    {
        ArgumentNullException.ThrowIfNull(own);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var message = Plaintext(serverPublicKey, routingIdentity);
        var cipher = new byte[message.Length + MacBytes];
        using (var box = new Curve25519XSalsa20Poly1305(own.SecretBytes, serverPublicKey))
        {
            box.Encrypt(cipher, message, nonce);
        }

        return new AuthHello { PublicKey = own.PublicKey, Nonce = Convert.ToBase64String(nonce), Proof = Convert.ToBase64String(cipher) };
    }

    /// <summary>Checks <paramref name="hello"/> as the server with <paramref name="server"/> for a peer with <paramref name="routingIdentity"/>; returns the reply to send.</summary>
    public static AuthReply Verify(AuthHello hello, CurveKeyPair server, AllowList allowList, byte[] routingIdentity)
    {
        ArgumentNullException.ThrowIfNull(allowList);
        return Verify(hello, server, allowList.NameOf, routingIdentity);
    }

    /// <summary>
    /// Checks <paramref name="hello"/> like <see cref="Verify(AuthHello, CurveKeyPair, AllowList, byte[])"/>, with the keys a
    /// server accepts given by <paramref name="nameOf"/> (public key, Z85, to its name, or null when not accepted).
    /// </summary>
    public static AuthReply Verify(AuthHello hello, CurveKeyPair server, Func<string, string?> nameOf, byte[] routingIdentity)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(nameOf);
        ArgumentNullException.ThrowIfNull(routingIdentity);
        if (routingIdentity.Length < MinIdentityBytes)
        {
            return Refuse(AuthOutcome.WeakIdentity, $"the socket's routing identity must be at least {MinIdentityBytes} random bytes (set zmq.IDENTITY before connecting)");
        }

        if (!CurveKeyPair.IsKey(hello.PublicKey))
        {
            return Refuse(AuthOutcome.BadProof, "PublicKey is not a 40-character Z85 key");
        }

        if (nameOf(hello.PublicKey) is not { } name)
        {
            return Refuse(AuthOutcome.UnknownKey, $"key {hello.PublicKey} is not in the server's allowlist");
        }

        if (!TryBase64(hello.Nonce, out var nonce) || nonce.Length != NonceBytes || !TryBase64(hello.Proof, out var cipher) || cipher.Length < MacBytes)
        {
            return Refuse(AuthOutcome.BadProof, "Nonce must be 24 bytes and Proof a crypto_box, both base64");
        }

        var expected = Plaintext(server.PublicBytes, routingIdentity);
        var opened = new byte[cipher.Length - MacBytes];
        bool ok;
        using (var box = new Curve25519XSalsa20Poly1305(server.SecretBytes, CurveKeyPair.Decode(hello.PublicKey, "AuthHello.PublicKey")))
        {
            ok = box.TryDecrypt(opened, cipher, nonce);
        }

        if (!ok || !CryptographicOperations.FixedTimeEquals(opened, expected))
        {
            return Refuse(AuthOutcome.BadProof, "the proof does not open with this key for this server and routing identity");
        }

        return new AuthReply { Accepted = true, Outcome = AuthOutcome.Ok, Reason = "authenticated as " + name, KeyName = name };
    }

    /// <summary>Shortest routing identity a secured server accepts (ours are 32 random hex characters or more).</summary>
    public const int MinIdentityBytes = 16;

    /// <summary>A refusal.</summary>
    public static AuthReply Refuse(string outcome, string reason) => new() { Accepted = false, Outcome = outcome, Reason = reason };

    private static byte[] Plaintext(byte[] serverPublicKey, byte[] routingIdentity)
    {
        var context = Encoding.ASCII.GetBytes(Context);
        return [.. context, .. serverPublicKey, .. routingIdentity];
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
