using System.Collections.Frozen;

namespace Megatest.Protocol;

/// <summary>Maps packet codes to packet types and back. CLR type names never go on the wire.</summary>
public static partial class PacketRegistry
{
    private static readonly FrozenDictionary<PacketCode, Type> s_byCode;
    private static readonly FrozenDictionary<Type, PacketCode> s_byType;

    static PacketRegistry()
    {
        var byCode = new Dictionary<PacketCode, Type>();
        var byType = new Dictionary<Type, PacketCode>();
        foreach (var (code, type) in Generated())
        {
            if (byCode.TryGetValue(code, out var existing))
            {
                throw new InvalidOperationException($"Packet code {code} ({(int)code}) is registered twice: {existing.Name} and {type.Name}");
            }

            byCode.Add(code, type);
            byType.Add(type, code);
        }

        s_byCode = byCode.ToFrozenDictionary();
        s_byType = byType.ToFrozenDictionary();
    }

    /// <summary>Every registered code and its type.</summary>
    public static IReadOnlyDictionary<PacketCode, Type> All => s_byCode;

    /// <summary>The packet type for a wire code, or null when the code is unknown.</summary>
    public static Type? TypeOf(PacketCode code) => s_byCode.GetValueOrDefault(code);

    /// <summary>The wire code of a packet type.</summary>
    public static PacketCode CodeOf(Type type) =>
        s_byType.TryGetValue(type, out var code) ? code : throw new ArgumentException($"{type.Name} is not a registered packet type", nameof(type));
}
