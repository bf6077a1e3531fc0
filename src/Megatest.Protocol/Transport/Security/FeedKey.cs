using System.Buffers.Binary;
using System.Security.Cryptography;
using NaCl;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// The key of a secured db writer's change feed. A PUB socket cannot check who subscribed, so every body the db writer
/// publishes is sealed: <c>0xC1 || nonce (24 bytes) || crypto_secretbox(body, nonce, key)</c> (XSalsa20-Poly1305, MAC
/// first as libsodium's crypto_secretbox_easy and PyNaCl's SecretBox). 0xC1 is never valid MessagePack, so a decoder
/// without the key fails on the first byte. The key is random per db writer start and handed only to authenticated
/// clients, in the accepted <see cref="AuthReply"/> (FeedKey, base64).
/// </summary>
public sealed class FeedKey
{
    /// <summary>The first byte of a sealed body.</summary>
    public const byte Marker = 0xC1;

    /// <summary>Key length in bytes.</summary>
    public const int KeyBytes = 32;

    private const int NonceBytes = 24;
    private const int MacBytes = 16;
    private const int Overhead = 1 + NonceBytes + MacBytes;
    private readonly byte[] _key;
    private readonly byte[] _noncePrefix = RandomNumberGenerator.GetBytes(NonceBytes - sizeof(long));
    private long _counter;

    private FeedKey(byte[] key) => _key = key;

    /// <summary>A new random key (one per db writer start).</summary>
    public static FeedKey Generate() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>Reads the base64 key of an <see cref="AuthReply"/>; null when it is empty or not 32 bytes.</summary>
    public static FeedKey? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var bytes = new byte[KeyBytes + 3];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == KeyBytes ? new FeedKey(bytes[..KeyBytes]) : null;
    }

    /// <summary>The key as AuthReply.FeedKey carries it (base64).</summary>
    public string Text => Convert.ToBase64String(_key);

    /// <summary>True when <paramref name="body"/> is a sealed feed body.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> body) => body.Length > 0 && body[0] == Marker;

    /// <summary>Seals an encoded body (nonces are a random prefix and a counter, so never repeat under one key).</summary>
    public byte[] Seal(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var sealedBody = new byte[body.Length + Overhead];
        sealedBody[0] = Marker;
        var nonce = sealedBody.AsSpan(1, NonceBytes);
        _noncePrefix.CopyTo(nonce);
        BinaryPrimitives.WriteInt64LittleEndian(nonce[_noncePrefix.Length..], Interlocked.Increment(ref _counter));
        using var box = new XSalsa20Poly1305(_key);
        box.Encrypt(sealedBody.AsSpan(1 + NonceBytes), body, nonce);
        return sealedBody;
    }

    /// <summary>Opens a sealed body; false when it is not sealed or not with this key.</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedBody, out byte[] body)
    {
        body = [];
        if (!IsSealed(sealedBody) || sealedBody.Length < Overhead)
        {
            return false;
        }

        var opened = new byte[sealedBody.Length - Overhead];
        using var box = new XSalsa20Poly1305(_key);
        if (!box.TryDecrypt(opened, sealedBody[(1 + NonceBytes)..], sealedBody.Slice(1, NonceBytes)))
        {
            return false;
        }

        body = opened;
        return true;
    }
}
