namespace Megatest.Protocol.Tests;

/// <summary>
/// The golden files in schemas/packets: what this build reads and writes must stay byte-for-byte what was
/// frozen. Missing files are written only with MEGATEST_REGEN_GOLDEN=1 (see schemas/packets/README.md).
/// </summary>
public sealed class GoldenFileTests
{
    [Theory]
    [MemberData(nameof(GoldenFiles.Names), MemberType = typeof(GoldenFiles))]
    public void GoldenFile_DecodesToTheExample_WithTheCurrentBuild(string name)
    {
        GoldenFiles.EnsureWritten();
        var type = GoldenFiles.TypeNamed(name);
        var golden = ReadGolden(name);
        var example = GoldenExamples.Body(type);

        var ok = PacketCodec.TryDecode(golden.Header, golden.Body, out var header, out var packet, out var error);

        Assert.True(ok, $"{name}.bin: {error}");
        Assert.Null(error);
        Assert.Equal(GoldenExamples.Header(example.Code), header);
        Assert.IsType(type, packet);
        Assert.Equal(PacketCodec.EncodeBody(example), PacketCodec.EncodeBody(packet!));
        Assert.Equal(golden.Body, PacketCodec.EncodeBody(packet!));
    }

    [Theory]
    [MemberData(nameof(GoldenFiles.Names), MemberType = typeof(GoldenFiles))]
    public void Encoder_ProducesTheGoldenBytes_ForTheExample(string name)
    {
        GoldenFiles.EnsureWritten();
        var golden = ReadGolden(name);

        var expected = GoldenFiles.Expected(GoldenFiles.TypeNamed(name));

        Assert.Equal(Convert.ToHexString(golden.Header), Convert.ToHexString(expected.Header));
        Assert.Equal(Convert.ToHexString(golden.Body), Convert.ToHexString(expected.Body));
    }

    [Theory]
    [MemberData(nameof(GoldenFiles.Names), MemberType = typeof(GoldenFiles))]
    public void HexView_ShowsTheBinFile(string name)
    {
        GoldenFiles.EnsureWritten();
        var bin = GoldenFile.BinPath(name);
        var hex = GoldenFile.HexPath(bin);
        Assert.True(File.Exists(hex), $"{hex} is missing; run the golden tests once with {GoldenFiles.RegenVariable}=1 to add it");

        var expected = GoldenFile.Read(bin).ToHex(name, PacketRegistry.CodeOf(GoldenFiles.TypeNamed(name)));

        Assert.Equal(expected, File.ReadAllText(hex));
    }

    [Fact]
    public void EveryBinFile_DecodesWithTheCurrentBuild_IncludingKeptOlderSnapshots()
    {
        GoldenFiles.EnsureWritten();
        var files = Directory.GetFiles(GoldenFile.Folder, "*.bin");
        Assert.True(files.Length >= PacketRegistry.All.Count, $"expected at least {PacketRegistry.All.Count} golden files in {GoldenFile.Folder}, found {files.Length}");

        foreach (var file in files)
        {
            // NAME.bin is the current snapshot; NAME.ANYTHING.bin is an older one kept when NAME gained keys.
            var name = Path.GetFileName(file).Split('.')[0];
            var type = GoldenFiles.TypeNamed(name);
            var golden = GoldenFile.Read(file);

            var ok = PacketCodec.TryDecode(golden.Header, golden.Body, out var header, out var packet, out var error);

            Assert.True(ok, $"{Path.GetFileName(file)}: {error}");
            Assert.Equal(PacketRegistry.CodeOf(type), header!.Code);
            Assert.IsType(type, packet);
        }
    }

    [Fact]
    public void GoldenFolder_HasAFileForEveryPacket_AfterOptionalRegeneration()
    {
        var written = GoldenFiles.EnsureWritten();

        var missing = PacketRegistry.All.Values.Select(t => t.Name).Where(n => !File.Exists(GoldenFile.BinPath(n))).ToList();

        Assert.True(missing.Count == 0, $"golden files missing for {string.Join(", ", missing)}; run the golden tests once with {GoldenFiles.RegenVariable}=1 to add them");
        Assert.True(GoldenFiles.RegenRequested || written.Count == 0, "files are written only when regeneration is requested");
    }

    [Fact]
    public void GoldenExample_HasNoDefaultField_InAnyPacket()
    {
        foreach (var type in PacketRegistry.All.Values)
        {
            var example = GoldenExamples.Body(type);
            var fresh = (IPacket)Activator.CreateInstance(type)!;
            Assert.NotEqual(PacketCodec.EncodeBody(fresh), PacketCodec.EncodeBody(example));
            foreach (var (key, property) in GoldenExamples.KeyedProperties(type))
            {
                var value = property.GetValue(example);
                Assert.NotNull(value);
                Assert.False(IsDefault(value), $"{type.Name}.{property.Name} (key {key}) has a default value in the golden example");
            }
        }
    }

    [Fact]
    public void GoldenFileLayout_RoundTrips_AndRejectsABadLength()
    {
        var file = new GoldenFile([0x97, 0x01], [0x90]);

        var bytes = file.ToBytes();

        Assert.Equal(new byte[] { 2, 0, 0, 0, 0x97, 0x01, 0x90 }, bytes);
        var back = GoldenFile.Parse(bytes);
        Assert.Equal(file.Header, back.Header);
        Assert.Equal(file.Body, back.Body);
        Assert.Throws<InvalidDataException>(() => GoldenFile.Parse([9, 0, 0, 0, 1]));
    }

    private static GoldenFile ReadGolden(string name)
    {
        var bin = GoldenFile.BinPath(name);
        Assert.True(File.Exists(bin), $"{bin} is missing; run the golden tests once with {GoldenFiles.RegenVariable}=1 to add it");
        return GoldenFile.Read(bin);
    }

    private static bool IsDefault(object value) => value switch
    {
        string s => s.Length == 0,
        int i => i == 0,
        long l => l == 0,
        double d => d == 0,
        bool b => !b,
        Array a => a.Length == 0,
        System.Collections.IDictionary d => d.Count == 0,
        _ => false,
    };
}
