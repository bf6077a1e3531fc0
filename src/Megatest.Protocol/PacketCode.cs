namespace Megatest.Protocol;

/// <summary>
/// The wire discriminator of every packet. Values are frozen: never renumber, only append.
/// Blocks: 1xx agent conversation, 2xx status, 3xx db writer, 8xx security, 9xx control.
/// </summary>
public enum PacketCode : ushort
{
    /// <summary>An agent introduces itself to the coordinator.</summary>
    AgentHello = 100,

    /// <summary>The coordinator accepts or rejects an agent.</summary>
    AgentWelcome = 101,

    /// <summary>Liveness in both directions between agent and coordinator.</summary>
    Heartbeat = 102,

    /// <summary>The coordinator asks an agent to run one test or item.</summary>
    LaunchTest = 103,

    /// <summary>An agent reports that a test process has ended and its results are committed.</summary>
    TestEnded = 104,

    /// <summary>The coordinator asks an agent to kill tests.</summary>
    KillTests = 105,

    /// <summary>An agent leaves cleanly.</summary>
    AgentBye = 106,

    /// <summary>Acknowledges a packet; for status packets it means "committed".</summary>
    Ack = 200,

    /// <summary>A test step record (start or end).</summary>
    Step = 201,

    /// <summary>A change of a test's state, status and other fields.</summary>
    StatusChange = 202,

    /// <summary>Rows of test data (measurements, log checker summaries).</summary>
    TestData = 203,

    /// <summary>Test metadata from a testconfig's [test_meta].</summary>
    TestMetaUpdate = 204,

    /// <summary>Several status packets for the db writer in one message.</summary>
    Bundle = 205,

    /// <summary>The db writer's answer to a bundle: one error text per entry.</summary>
    BundleAck = 206,

    /// <summary>Registers (or finds) a run.</summary>
    RegisterRun = 300,

    /// <summary>Reply to <see cref="RegisterRun"/>.</summary>
    RunRegistered = 301,

    /// <summary>Registers (or finds) test rows of a run.</summary>
    RegisterTests = 302,

    /// <summary>Reply to <see cref="RegisterTests"/>.</summary>
    TestsRegistered = 303,

    /// <summary>Published after commit: a test row changed.</summary>
    TestChanged = 304,

    /// <summary>Asks the db writer for the current rows of a run.</summary>
    SnapshotRequest = 305,

    /// <summary>Reply to <see cref="SnapshotRequest"/>.</summary>
    Snapshot = 306,

    /// <summary>Published after commit: a run row changed.</summary>
    RunChanged = 307,

    /// <summary>Sets a run's state, status or comment.</summary>
    UpdateRun = 308,

    /// <summary>Asks the db writer to publish a probe so a subscriber knows its subscription is live.</summary>
    SubscribeProbe = 309,

    /// <summary>Published answer to <see cref="SubscribeProbe"/>.</summary>
    ProbeEcho = 310,

    /// <summary>Deletes test rows of a run.</summary>
    DeleteTests = 311,

    /// <summary>Records a run a coordinator carries out, so a restarted coordinator continues it.</summary>
    RecordRunRequest = 312,

    /// <summary>Records that tests were archived.</summary>
    RecordArchive = 330,

    /// <summary>Moves whole runs between megatest.db and completed-runs.db.</summary>
    MoveRecords = 331,

    /// <summary>Copies whole runs from another area's database.</summary>
    ImportRuns = 332,

    /// <summary>Security: a client proves it holds an allowlisted key (first packet on a link to a secured daemon).</summary>
    AuthHello = 800,

    /// <summary>Security: the answer to <see cref="AuthHello"/>, or the refusal of a packet from a peer not authenticated.</summary>
    AuthReply = 801,

    /// <summary>Control: start or continue a run.</summary>
    RunRequest = 900,

    /// <summary>Control: kill selected tests.</summary>
    KillRequest = 901,

    /// <summary>Control: clean failed tests of a run and run them again.</summary>
    RerunCleanRequest = 902,

    /// <summary>Control: remove selected tests and their run directories.</summary>
    CleanRequest = 903,

    /// <summary>Control: archive selected tests.</summary>
    ArchiveRequest = 904,

    /// <summary>Control: ask for the status of runs.</summary>
    StatusQuery = 905,

    /// <summary>Control: ask a daemon to stop (the area's home host moves).</summary>
    StopRequest = 906,

    /// <summary>Reply to a control packet: accepted or rejected with a reason.</summary>
    ControlAck = 910,

    /// <summary>The coordinator tells the requester that a run has ended.</summary>
    RunEnded = 911,

    /// <summary>Reply to <see cref="StatusQuery"/>.</summary>
    StatusReply = 912,
}
