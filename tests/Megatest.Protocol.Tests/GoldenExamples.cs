using System.Globalization;
using System.Reflection;
using MessagePack;

namespace Megatest.Protocol.Tests;

/// <summary>
/// The deterministic example of every packet type that the golden files hold. Every field gets a
/// non-default value derived from its type, name and key, so a new packet or key gets an example without
/// hand-written code, and the same build always produces the same bytes.
/// </summary>
public static class GoldenExamples
{
    /// <summary>The MessageId of every golden header.</summary>
    public static readonly Guid MessageId = new("00112233-4455-6677-8899-aabbccddeeff");

    /// <summary>The CorrelationId of golden replies.</summary>
    public static readonly Guid CorrelationId = new("f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f");

    /// <summary>The sender of every golden header.</summary>
    public const string SenderId = "golden@host1";

    /// <summary>The sequence of every golden header.</summary>
    public const long Sequence = 42;

    /// <summary>2026-01-01T00:00:00Z in milliseconds.</summary>
    public const long SentAtUnixMs = 1_767_225_600_000;

    private static readonly HashSet<PacketCode> s_replies =
    [
        PacketCode.AgentWelcome, PacketCode.Ack, PacketCode.BundleAck, PacketCode.RunRegistered, PacketCode.TestsRegistered,
        PacketCode.Snapshot, PacketCode.ControlAck, PacketCode.RunEnded, PacketCode.StatusReply,
    ];

    /// <summary>The golden header for <paramref name="code"/>: replies carry a correlation id, requests nil.</summary>
    public static PacketHeader Header(PacketCode code) =>
        new(ProtocolVersion.Current, code, MessageId, s_replies.Contains(code) ? CorrelationId : null, SenderId, Sequence, SentAtUnixMs);

    /// <summary>The golden body of a packet type.</summary>
    public static IPacket Body(Type packetType) => (IPacket)Fill(packetType);

    private static object Fill(Type type)
    {
        var instance = Activator.CreateInstance(type) ?? throw new InvalidOperationException("cannot create " + type.Name);
        foreach (var (key, property) in KeyedProperties(type))
        {
            property.SetValue(instance, ValueFor(property.PropertyType, type.Name + "." + property.Name, key));
        }

        return instance;
    }

    /// <summary>The [Key] properties of a MessagePack object, in key order.</summary>
    public static IEnumerable<(int Key, PropertyInfo Property)> KeyedProperties(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Attr: p.GetCustomAttribute<KeyAttribute>(), Property: p))
            .Where(x => x.Attr is not null)
            .Select(x => (x.Attr!.IntKey ?? throw new InvalidOperationException($"{type.Name}.{x.Property.Name}: string keys are not used on the wire"), x.Property))
            .OrderBy(x => x.Item1);
    }

    private static object ValueFor(Type type, string name, int key)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        if (inner == typeof(string))
        {
            return name;
        }

        if (inner == typeof(int))
        {
            return 1000 + key;
        }

        if (inner == typeof(long))
        {
            return 5_000_000_000L + key;
        }

        if (inner == typeof(double))
        {
            return key + 0.25;
        }

        if (inner == typeof(bool))
        {
            return true;
        }

        if (inner == typeof(string[]))
        {
            return new[] { name + "[0]", name + "[1]" };
        }

        if (inner == typeof(long[]))
        {
            return new[] { 1L + key, 5_000_000_000L };
        }

        if (inner == typeof(byte[][]))
        {
            return new[] { System.Text.Encoding.UTF8.GetBytes(name + "[0]"), System.Text.Encoding.UTF8.GetBytes(name + "[1]") };
        }

        if (inner == typeof(Dictionary<string, string>))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["K" + key.ToString(CultureInfo.InvariantCulture) + "a"] = name + "=a",
                ["K" + key.ToString(CultureInfo.InvariantCulture) + "b"] = name + "=b",
            };
        }

        if (inner.IsArray && inner.GetElementType()!.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
        {
            var element = inner.GetElementType()!;
            var array = Array.CreateInstance(element, 2);
            array.SetValue(Fill(element), 0);
            array.SetValue(Fill(element), 1);
            return array;
        }

        if (inner.GetCustomAttribute<MessagePackObjectAttribute>() is not null)
        {
            return Fill(inner);
        }

        throw new InvalidOperationException($"{name}: no golden value for type {type.Name}; teach GoldenExamples.ValueFor about it");
    }
}
