namespace Megatest.Protocol.Tests;

/// <summary>The wire codes are frozen: a renumbering, a removal or a re-mapped type must fail here.</summary>
public sealed class CodeMapTests
{
    private static readonly (string Name, int Value, Type Type)[] s_frozen =
    [
        ("AgentHello", 100, typeof(AgentHello)),
        ("AgentWelcome", 101, typeof(AgentWelcome)),
        ("Heartbeat", 102, typeof(Heartbeat)),
        ("LaunchTest", 103, typeof(LaunchTest)),
        ("TestEnded", 104, typeof(TestEnded)),
        ("KillTests", 105, typeof(KillTests)),
        ("AgentBye", 106, typeof(AgentBye)),
        ("Ack", 200, typeof(Ack)),
        ("Step", 201, typeof(Step)),
        ("StatusChange", 202, typeof(StatusChange)),
        ("TestData", 203, typeof(TestData)),
        ("TestMetaUpdate", 204, typeof(TestMetaUpdate)),
        ("Bundle", 205, typeof(Bundle)),
        ("BundleAck", 206, typeof(BundleAck)),
        ("RegisterRun", 300, typeof(RegisterRun)),
        ("RunRegistered", 301, typeof(RunRegistered)),
        ("RegisterTests", 302, typeof(RegisterTests)),
        ("TestsRegistered", 303, typeof(TestsRegistered)),
        ("TestChanged", 304, typeof(TestChanged)),
        ("SnapshotRequest", 305, typeof(SnapshotRequest)),
        ("Snapshot", 306, typeof(Snapshot)),
        ("RunChanged", 307, typeof(RunChanged)),
        ("UpdateRun", 308, typeof(UpdateRun)),
        ("SubscribeProbe", 309, typeof(SubscribeProbe)),
        ("ProbeEcho", 310, typeof(ProbeEcho)),
        ("DeleteTests", 311, typeof(DeleteTests)),
        ("RecordRunRequest", 312, typeof(RecordRunRequest)),
        ("RecordArchive", 330, typeof(RecordArchive)),
        ("MoveRecords", 331, typeof(MoveRecords)),
        ("ImportRuns", 332, typeof(ImportRuns)),
        ("AuthHello", 800, typeof(AuthHello)),
        ("AuthReply", 801, typeof(AuthReply)),
        ("RunRequest", 900, typeof(RunRequest)),
        ("KillRequest", 901, typeof(KillRequest)),
        ("RerunCleanRequest", 902, typeof(RerunCleanRequest)),
        ("CleanRequest", 903, typeof(CleanRequest)),
        ("ArchiveRequest", 904, typeof(ArchiveRequest)),
        ("StatusQuery", 905, typeof(StatusQuery)),
        ("StopRequest", 906, typeof(StopRequest)),
        ("ControlAck", 910, typeof(ControlAck)),
        ("RunEnded", 911, typeof(RunEnded)),
        ("StatusReply", 912, typeof(StatusReply)),
    ];

    [Fact]
    public void PacketCode_HasExactlyTheFrozenNamesAndValues()
    {
        var expected = s_frozen.Select(f => $"{f.Name}={f.Value}").ToArray();
        var actual = Enum.GetValues<PacketCode>().Select(c => $"{c}={(int)c}").ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PacketCode_IsWrittenAsUInt16()
    {
        Assert.Equal(typeof(ushort), Enum.GetUnderlyingType(typeof(PacketCode)));
    }

    [Fact]
    public void Registry_MapsEveryFrozenCodeToItsType()
    {
        var expected = s_frozen.ToDictionary(f => f.Value, f => f.Type);
        var actual = PacketRegistry.All.ToDictionary(kv => (int)kv.Key, kv => kv.Value);

        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Registry_CodeOfAndTypeOf_AreInverse()
    {
        foreach (var (_, value, type) in s_frozen)
        {
            var code = (PacketCode)value;
            Assert.Equal(type, PacketRegistry.TypeOf(code));
            Assert.Equal(code, PacketRegistry.CodeOf(type));
        }
    }

    [Fact]
    public void PacketInstance_ReportsItsRegisteredCode()
    {
        foreach (var (_, value, type) in s_frozen)
        {
            var packet = (IPacket)Activator.CreateInstance(type)!;
            Assert.Equal((PacketCode)value, packet.Code);
        }
    }

    [Fact]
    public void TypeOf_ReturnsNull_WhenCodeIsUnknown()
    {
        Assert.Null(PacketRegistry.TypeOf((PacketCode)999));
        Assert.Throws<ArgumentException>(() => PacketRegistry.CodeOf(typeof(TestKey)));
    }

    [Fact]
    public void ProtocolVersion_IsOne()
    {
        Assert.Equal(1, ProtocolVersion.Current);
        Assert.Equal(1, ProtocolVersion.MinSupported);
    }
}
