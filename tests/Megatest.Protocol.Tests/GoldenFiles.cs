namespace Megatest.Protocol.Tests;

/// <summary>
/// Writes golden files that are missing when MEGATEST_REGEN_GOLDEN=1. An existing golden file is never
/// rewritten: snapshots are only ever added.
/// </summary>
public static class GoldenFiles
{
    /// <summary>The environment variable that allows writing missing golden files.</summary>
    public const string RegenVariable = "MEGATEST_REGEN_GOLDEN";

    private static readonly Lazy<IReadOnlyList<string>> s_written = new(WriteMissing);

    /// <summary>True when this test run may write missing golden files.</summary>
    public static bool RegenRequested => Environment.GetEnvironmentVariable(RegenVariable) == "1";

    /// <summary>Every packet type name, in code order.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var (_, type) in PacketRegistry.All.OrderBy(kv => kv.Key))
        {
            data.Add(type.Name);
        }

        return data;
    }

    /// <summary>The registered type named <paramref name="name"/>.</summary>
    public static Type TypeNamed(string name) =>
        PacketRegistry.All.Values.SingleOrDefault(t => t.Name == name) ?? throw new InvalidOperationException($"no packet type named {name}");

    /// <summary>The golden file the current build writes for a packet type.</summary>
    public static GoldenFile Expected(Type type)
    {
        var body = GoldenExamples.Body(type);
        return GoldenFile.Encode(GoldenExamples.Header(body.Code), body);
    }

    /// <summary>Writes missing files once per test run when allowed; returns the paths written.</summary>
    public static IReadOnlyList<string> EnsureWritten() => s_written.Value;

    private static List<string> WriteMissing()
    {
        var written = new List<string>();
        if (!RegenRequested)
        {
            return written;
        }

        Directory.CreateDirectory(GoldenFile.Folder);
        foreach (var (code, type) in PacketRegistry.All.OrderBy(kv => kv.Key))
        {
            var expected = Expected(type);
            var bin = GoldenFile.BinPath(type.Name);
            if (!File.Exists(bin))
            {
                File.WriteAllBytes(bin, expected.ToBytes());
                written.Add(bin);
            }

            var hex = GoldenFile.HexPath(bin);
            if (!File.Exists(hex))
            {
                File.WriteAllText(hex, GoldenFile.Read(bin).ToHex(type.Name, code));
                written.Add(hex);
            }
        }

        return written;
    }
}
