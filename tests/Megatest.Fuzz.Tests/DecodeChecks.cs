using System.Reflection;
using Megatest.Protocol;

namespace Megatest.Fuzz.Tests;

/// <summary>The promises of the decoders, checked after every fuzz case.</summary>
public static class DecodeChecks
{
    /// <summary>The most one decode may allocate.</summary>
    public const long MaxAllocatedBytes = 64L * 1024 * 1024;

    private static readonly HashSet<string> s_fields = new(StringComparer.Ordinal) { "frames", "header", "header.version", "header.code", "body" };
    private static readonly NullabilityInfoContext s_nullability = new();
    private static readonly Dictionary<Type, PropertyInfo[]> s_nonNullable = PacketRegistry.All.Values.ToDictionary(
        t => t,
        t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<MessagePack.KeyAttribute>() is not null && !p.PropertyType.IsValueType)
            .Where(p => s_nullability.Create(p).WriteState == NullabilityState.NotNull)
            .ToArray());

    /// <summary>A refused input: the error must name a known field and give a reason.</summary>
    public static void Refused(DecodeError? error, object? packet)
    {
        if (error is null)
        {
            throw new FuzzContractException("TryDecode returned false without a DecodeError");
        }

        if (!s_fields.Contains(error.Field))
        {
            throw new FuzzContractException($"DecodeError names no known field: '{error.Field}' ({error.Reason})");
        }

        if (string.IsNullOrWhiteSpace(error.Reason) || error.Reason.Length < 10)
        {
            throw new FuzzContractException($"DecodeError for {error.Field} gives no reason: '{error.Reason}'");
        }

        if (packet is not null)
        {
            throw new FuzzContractException("TryDecode returned false but also a packet");
        }
    }

    /// <summary>An accepted input: header and packet are there and agree.</summary>
    public static void Accepted(PacketHeader? header, IPacket? packet, DecodeError? error)
    {
        if (header is null || packet is null || error is not null)
        {
            throw new FuzzContractException($"TryDecode returned true with header {header is not null}, packet {packet is not null}, error {error}");
        }

        if (PacketRegistry.TypeOf(header.Code) != packet.GetType())
        {
            throw new FuzzContractException($"header code {header.Code} but a {packet.GetType().Name} was decoded");
        }
    }

    /// <summary>Top-level members declared non-nullable that hold null (nil on the wire was accepted).</summary>
    public static int NullsInNonNullableMembers(IPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return s_nonNullable[packet.GetType()].Count(p => p.GetValue(packet) is null);
    }

    /// <summary>Throws when one decode allocated more than <see cref="MaxAllocatedBytes"/>.</summary>
    public static void Allocation(long allocated)
    {
        if (allocated > MaxAllocatedBytes)
        {
            throw new FuzzContractException($"one decode allocated {allocated / (1024 * 1024)} MiB (limit {MaxAllocatedBytes / (1024 * 1024)} MiB)");
        }
    }
}
