using System.Reflection;
using System.Text;
using Megatest.Protocol;
using MessagePack;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// Builds packet instances with random, non-default values in every [Key] property (by reflection, so a new
/// packet or field is fuzzed without new code; an unsupported field type fails loudly).
/// </summary>
public static class PacketValueFactory
{
    private static readonly string[] s_words =
    [
        "a/b", "x/2/y", "test1", "item/1", "PASS", "FAIL", "RUNNING", "agent@host1", "/tmp/area", "é", "日本語", "🙂",
        "", " ", "%", "#{getenv X}", "\0", "\n", "very-long-" + new string('z', 300),
    ];

    /// <summary>A fully filled instance of <paramref name="type"/>.</summary>
    public static object Create(Type type, Random rng)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(rng);
        return Fill(type, rng, 0);
    }

    private static object Fill(Type type, Random rng, int depth)
    {
        var instance = Activator.CreateInstance(type) ?? throw new InvalidOperationException("cannot create " + type.Name);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<KeyAttribute>() is null || !property.CanWrite)
            {
                continue;
            }

            property.SetValue(instance, Value(property.PropertyType, rng, depth + 1, type.Name + "." + property.Name));
        }

        return instance;
    }

    private static object Value(Type type, Random rng, int depth, string where)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Value(underlying, rng, depth, where);
        }

        if (type == typeof(string))
        {
            return RandomString(rng);
        }

        if (type == typeof(long))
        {
            return rng.Next(3) == 0 ? rng.NextInt64(long.MinValue, -1) : rng.NextInt64(1, long.MaxValue);
        }

        if (type == typeof(int))
        {
            return rng.Next(4) == 0 ? -rng.Next(1, int.MaxValue) : rng.Next(1, int.MaxValue);
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(double))
        {
            return rng.Next(5) == 0 ? double.MaxValue : (rng.NextDouble() * 1e6) + 0.25;
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length > 1 ? rng.Next(1, values.Length) : 0)!;
        }

        if (type == typeof(byte[]))
        {
            // A frame inside a bundle: random bytes, or (half the time) a real header or body frame of a status packet.
            if (rng.Next(2) == 0)
            {
                var bytes = new byte[rng.Next(0, 48)];
                rng.NextBytes(bytes);
                return bytes;
            }

            var status = new StatusChange { TestId = rng.NextInt64(1, 1000), State = RandomString(rng) };
            return rng.Next(2) == 0
                ? PacketCodec.EncodeBody(status)
                : PacketCodec.EncodeHeader(new PacketHeader(ProtocolVersion.Current, status.Code, Guid.NewGuid(), null, "fuzz", rng.NextInt64(1, long.MaxValue), 0));
        }

        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, rng.Next(1, 4));
            for (var i = 0; i < array.Length; i++)
            {
                array.SetValue(Value(element, rng, depth + 1, where + "[]"), i);
            }

            return array;
        }

        if (type == typeof(Dictionary<string, string>))
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var count = rng.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                map["K" + i + RandomString(rng)] = RandomString(rng);
            }

            return map;
        }

        if (type.GetCustomAttribute<MessagePackObjectAttribute>() is not null && depth < 8)
        {
            return Fill(type, rng, depth);
        }

        throw new NotSupportedException($"{where}: no random value for {type}; teach PacketValueFactory this field type");
    }

    private static string RandomString(Random rng)
    {
        if (rng.Next(3) == 0)
        {
            return s_words[rng.Next(s_words.Length)];
        }

        var length = rng.Next(1, 24);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(rng.Next(10) switch
            {
                0 => (char)rng.Next(0x80, 0x7ff),
                1 => (char)rng.Next(0x3000, 0x9fff),
                _ => (char)rng.Next(0x20, 0x7f),
            });
        }

        return sb.ToString();
    }
}
