using NetMQ;

namespace Megatest.Protocol.Transport.Security;

/// <summary>A named CURVE key pair in Z85 (40 characters each); the secret half is absent when only the public key is known.</summary>
/// <param name="Name">The key's name (its file name without extension, and its name in the allowlist).</param>
/// <param name="PublicKey">The public key, Z85.</param>
/// <param name="SecretKey">The secret key, Z85, or null.</param>
public sealed record CurveKeyPair(string Name, string PublicKey, string? SecretKey)
{
    /// <summary>Length of a key in bytes.</summary>
    public const int KeyBytes = 32;

    /// <summary>Length of a key in Z85 characters.</summary>
    public const int Z85Length = 40;

    /// <summary>A fresh random key pair.</summary>
    public static CurveKeyPair Generate(string name)
    {
        var cert = new NetMQCertificate();
        return new CurveKeyPair(name, cert.PublicKeyZ85, cert.SecretKeyZ85);
    }

    /// <summary>The key pair of secret key <paramref name="secretZ85"/> (its public half derived); <paramref name="what"/> names it in the error.</summary>
    public static CurveKeyPair FromSecret(string name, string secretZ85, string what)
    {
        var cert = NetMQCertificate.CreateFromSecretKey(Decode(secretZ85, what));
        return new CurveKeyPair(name, cert.PublicKeyZ85, cert.SecretKeyZ85);
    }

    /// <summary>The public key as bytes.</summary>
    public byte[] PublicBytes => Decode(PublicKey, "public key of " + Name);

    /// <summary>The secret key as bytes; throws when this pair has none.</summary>
    public byte[] SecretBytes => Decode(SecretKey ?? throw new InvalidOperationException($"key {Name} has no secret key here"), "secret key of " + Name);

    /// <summary>The NetMQ certificate of this pair (needs the secret key).</summary>
    public NetMQCertificate Certificate => new(SecretBytes, PublicBytes);

    /// <summary>True when <paramref name="z85"/> is a well-formed Z85 key.</summary>
    public static bool IsKey(string z85) =>
        z85.Length == Z85Length && z85.All(c => Z85Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>Decodes a Z85 key; <paramref name="what"/> names it in the error.</summary>
    public static byte[] Decode(string z85, string what)
    {
        ArgumentNullException.ThrowIfNull(z85);
        if (!IsKey(z85))
        {
            throw new FormatException($"{what}: not a Z85 CURVE key (40 characters of the Z85 alphabet): \"{z85}\"");
        }

        return NetMQCertificate.FromPublicKey(z85).PublicKey;
    }

    /// <summary>Encodes 32 key bytes as Z85.</summary>
    public static string Encode(byte[] key) => NetMQCertificate.FromPublicKey(key).PublicKeyZ85;

    private const string Z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
}
