using Megatest.Protocol;
using Megatest.Testing;

namespace Megatest.Monitor.Tests;

/// <summary>The monitor's client: snapshot first, changes in sequence order, duplicates dropped, resync on a gap.</summary>
public sealed class StatusStreamClientTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly FakeDbWriter _db = new();
    private readonly RecordingSink _sink = new();
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        _db.Dispose();
        _stop.Dispose();
    }

    private static TestRowInfo Row(string name, string state) => new() { Id = name[0], RunId = 7, TestName = name, State = state, Status = "n/a" };

    private static TestChanged Change(string name, string state) => new() { Row = Row(name, state), Target = "v1", RunName = "r1" };

    private Task Start(MonitorFilter? filter = null, bool once = false)
    {
        var options = new MonitorOptions { DbWriterEndpoint = _db.Endpoint, PublishEndpoint = _db.PublishEndpoint, Filter = filter ?? MonitorFilter.All, Once = once };
        return Task.Factory.StartNew(() =>
        {
            using var client = new StatusStreamClient(options, _sink);
            client.Run(_stop.Token);
        }, TaskCreationOptions.LongRunning);
    }

    [Fact]
    public async Task SnapshotFirst_ThenChangesInOrder_DuplicatesDropped_GapResyncs()
    {
        _db.Runs.Add(new RunSummary { RunId = 7, Target = "v1", RunName = "r1" });
        _db.SnapshotFor = (run, n) => n == 0
            ? new Snapshot { RunId = run, Sequence = 3, Rows = [Row("a", "NOT_STARTED")] }
            : new Snapshot { RunId = run, Sequence = 6, Rows = [Row("a", "COMPLETED"), Row("b", "RUNNING")] };
        var running = Start();
        await Wait.UntilAsync(() => _sink.Events.Count >= 1, s_timeout, "the first snapshot");

        _db.Publish(2, Change("a", "LAUNCHED"), 7);   // already in the snapshot: dropped
        _db.Publish(4, Change("a", "RUNNING"), 7);
        _db.Publish(6, Change("b", "RUNNING"), 7);    // 5 is missing: resync
        await Wait.UntilAsync(() => _db.SnapshotsAnswered == 2 && _sink.Events.Count >= 4, s_timeout, "the resync snapshot: " + string.Join(" | ", _sink.Events));
        _db.Publish(7, Change("a", "COMPLETED"), 7);
        await Wait.UntilAsync(() => _sink.Events.Count >= 5, s_timeout, "the change after the resync: " + string.Join(" | ", _sink.Events));

        Assert.Equal(
            ["snapshot 7 3 a=NOT_STARTED", "test 4 a=RUNNING", "resync 7 4->6", "snapshot 7 6 a=COMPLETED,b=RUNNING", "test 7 a=COMPLETED"],
            _sink.Events);
        _stop.Cancel();
        await running;
    }

    [Fact]
    public async Task NewRun_SeenOnTheStream_GetsASnapshot_AndFiltersApply()
    {
        _db.SnapshotFor = (run, _) => new Snapshot { RunId = run, Sequence = 1, Rows = [Row("a", "NOT_STARTED"), Row("b", "NOT_STARTED")] };
        var running = Start(new MonitorFilter("v1", "r%", "a"));
        await Wait.UntilAsync(() => _db.ListsAnswered == 1, s_timeout, "the client's subscription to be live");

        // Other targets are ignored; tests outside the pattern are counted in the sequence but not shown.
        _db.Publish(1, new TestChanged { Row = Row("a", "RUNNING") with { RunId = 8 }, Target = "v2", RunName = "r1" }, 8);
        _db.Publish(1, Change("a", "NOT_STARTED"), 7);
        await Wait.UntilAsync(() => _sink.Events.Count >= 1, s_timeout, "a snapshot of the new run");
        _db.Publish(2, Change("b", "RUNNING"), 7);
        _db.Publish(3, Change("a", "RUNNING"), 7);
        await Wait.UntilAsync(() => _sink.Events.Count >= 2, s_timeout, "the change: " + string.Join(" | ", _sink.Events));

        Assert.Equal(["snapshot 7 1 a=NOT_STARTED", "test 3 a=RUNNING"], _sink.Events);
        _stop.Cancel();
        await running;
    }

    [Fact]
    public async Task Once_PrintsTheSnapshotsAndReturns()
    {
        _db.Runs.Add(new RunSummary { RunId = 7, Target = "v1", RunName = "r1" });
        _db.SnapshotFor = (run, _) => new Snapshot { RunId = run, Sequence = 9, Rows = [Row("a", "COMPLETED")] };
        await Start(once: true).WaitAsync(s_timeout);
        Assert.Equal(["snapshot 7 9 a=COMPLETED"], _sink.Events);
    }
}
