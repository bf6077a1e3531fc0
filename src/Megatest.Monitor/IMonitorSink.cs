using Megatest.Protocol;

namespace Megatest.Monitor;

/// <summary>Receives what a <see cref="StatusStreamClient"/> sees, in order, on the client's thread.</summary>
public interface IMonitorSink
{
    /// <summary>The committed rows of a run as of <paramref name="sequence"/> (first for each run, and again after a resync).</summary>
    void Snapshot(long runId, string target, string runName, long sequence, IReadOnlyList<TestRowInfo> rows);

    /// <summary>A test row as committed, with its run's sequence number.</summary>
    void TestChanged(long sequence, TestChanged change);

    /// <summary>A run row as committed, with its run's sequence number.</summary>
    void RunChanged(long sequence, RunChanged change);

    /// <summary>A gap was seen in a run's stream: a fresh snapshot follows.</summary>
    void Resync(long runId, long haveSequence, long gotSequence);
}
