using Megatest.Protocol;

namespace Megatest.Monitor.Tests;

/// <summary>Records what the client hands on, as short strings.</summary>
public sealed class RecordingSink : IMonitorSink
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Snapshot(long runId, string target, string runName, long sequence, IReadOnlyList<TestRowInfo> rows) =>
        Add($"snapshot {runId} {sequence} " + string.Join(",", rows.Select(r => r.TestName + "=" + r.State)));

    public void TestChanged(long sequence, TestChanged change) => Add($"test {sequence} {change.Row.TestName}={change.Row.State}");

    public void RunChanged(long sequence, RunChanged change) => Add($"run {sequence} {change.State}");

    public void Resync(long runId, long haveSequence, long gotSequence) => Add($"resync {runId} {haveSequence}->{gotSequence}");

    private void Add(string e)
    {
        lock (_events)
        {
            _events.Add(e);
        }
    }
}
