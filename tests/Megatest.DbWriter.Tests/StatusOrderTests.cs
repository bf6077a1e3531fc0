using Megatest.Protocol;
using Megatest.Protocol.Transport;

namespace Megatest.DbWriter.Tests;

/// <summary>The sender-order filter remembers only what committed transactions applied.</summary>
public sealed class StatusOrderTests
{
    private readonly PacketStamp _sender = new("agent");

    private static StatusChange Change(string state, string? comment = null) =>
        new() { TestId = 7, State = state, Status = "n/a", Comment = comment, Host = "h1" };

    [Fact]
    public void AfterARollback_AnEarlierPacketAppliedAgainIsNotLate_AfterACommitItIs()
    {
        var order = new StatusOrder();
        var running = Change("RUNNING", "started");
        var runningHeader = _sender.Next(PacketCode.StatusChange);
        var completed = Change("COMPLETED");
        var completedHeader = _sender.Next(PacketCode.StatusChange);

        // Both in one transaction that rolls back (another packet of the burst spoiled it): neither was applied.
        Assert.Same(running, order.InOrder(runningHeader, running));
        Assert.Same(completed, order.InOrder(completedHeader, completed));
        order.RolledBack();

        // Applied again one by one, in order: the first is not taken for a late one.
        Assert.Same(running, order.InOrder(runningHeader, running));
        order.Committed();
        Assert.Same(completed, order.InOrder(completedHeader, completed));
        order.Committed();

        // Committed: the first arriving once more is late and keeps only its set-once fields.
        var late = order.InOrder(runningHeader, running);
        Assert.Equal((null, null, "h1"), (late.State, late.Comment, late.Host));
        order.RolledBack();
        Assert.Null(order.InOrder(runningHeader, running).State);
    }

    [Fact]
    public void Restored_TheHighestSequencePerTestAndSenderOrigin_MakesEarlierPacketsLate()
    {
        var order = new StatusOrder();
        var headers = Enumerable.Range(0, 4).Select(_ => _sender.Next(PacketCode.StatusChange)).ToArray();
        var other = new PacketStamp("agent").Next(PacketCode.StatusChange);
        const long now = 1_700_000_000;
        order.Restore(
            [
                (headers[3].MessageId, new Storage.SenderOrder(7, headers[3].Sequence), now - 30),
                (headers[1].MessageId, new Storage.SenderOrder(7, headers[1].Sequence), now - 60),
                (headers[0].MessageId, new Storage.SenderOrder(8, headers[0].Sequence), now - 60),
            ],
            now);

        // Test 7: sequence 3 is late after 4; test 8 and a sender that started again (another origin) are not.
        Assert.Null(order.InOrder(headers[2], Change("RUNNING")).State);
        var forEight = Change("RUNNING") with { TestId = 8 };
        Assert.Same(forEight, order.InOrder(headers[1], forEight));
        var fromOther = Change("RUNNING");
        Assert.Same(fromOther, order.InOrder(other, fromOther));
    }
}
