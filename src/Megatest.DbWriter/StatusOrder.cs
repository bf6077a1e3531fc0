using Megatest.Protocol;
using Megatest.Protocol.Transport;
using Megatest.Storage;

namespace Megatest.DbWriter;

/// <summary>
/// Keeps one sender's status changes of a test in the order they were sent. A packet lost with a db writer that
/// died (it was in the dead writer's socket, never read) reaches the next db writer only when its sender sends it
/// again, after the sender's later packets of the same test were applied: applied as it is, its old state and
/// status would overwrite the newer ones (a test that had ended COMPLETED would stay RUNNING). Every sender numbers
/// its packets (<see cref="PacketHeader.Sequence"/>), so the writer remembers per test and sender (the stamp that made
/// the message id: a sender that started again counts from 1 under a new one) the highest number it applied, and a
/// late status change keeps only the fields that are set once and never go
/// back (host, uname, run dir, short dir, attempt number). What it remembers is also recorded with each applied packet
/// (<see cref="SenderOrder"/> in <c>applied_packets</c>, same transaction), and a db writer that starts again reads
/// back the last <see cref="Memory"/> of it (<see cref="Restore"/>), so a packet of a writer that died is still late.
/// </summary>
internal sealed class StatusOrder
{
    /// <summary>
    /// How long a test's latest sequence number per sender is remembered. Resends come within seconds; ten minutes of
    /// memory per test is plenty and bounds the map on long-lived writers.
    /// </summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(10);

    private static readonly long s_forgetAfterMs = (long)Memory.TotalMilliseconds;
    private readonly Dictionary<(long TestId, Guid Origin), Latest> _latest = [];

    // What this transaction's packets replaced, newest last: a rolled-back transaction's packets were not applied,
    // so the numbers they recorded must not make a packet of theirs look late when it is applied again.
    private readonly List<((long TestId, Guid Origin) Key, Latest? Previous)> _undo = [];
    private long _lastPrune = Environment.TickCount64;

    /// <summary>
    /// The change to apply for <paramref name="change"/> as sent with <paramref name="header"/>: the change itself,
    /// or, when a later packet of the same sender for the same test was applied already, only its set-once fields.
    /// </summary>
    public StatusChange InOrder(PacketHeader header, StatusChange change)
    {
        var now = Environment.TickCount64;
        var key = (change.TestId, PacketStamp.Origin(header.MessageId));
        if (_latest.TryGetValue(key, out var latest) && header.Sequence < latest.Sequence)
        {
            return new StatusChange
            {
                TestId = change.TestId,
                Host = change.Host,
                Uname = change.Uname,
                RunDir = change.RunDir,
                ShortDir = change.ShortDir,
                AttemptNum = change.AttemptNum,
            };
        }

        _undo.Add((key, _latest.TryGetValue(key, out var previous) ? previous : null));
        _latest[key] = new Latest(header.Sequence, now);
        if (now - _lastPrune > s_forgetAfterMs)
        {
            _lastPrune = now;
            foreach (var id in _latest.Where(kv => now - kv.Value.At > s_forgetAfterMs).Select(kv => kv.Key).ToList())
            {
                _latest.Remove(id);
            }
        }

        return change;
    }

    /// <summary>
    /// Remembers the status changes a db writer of this database applied before this one started, as
    /// <see cref="WriteBatch.AppliedOrders"/> reads them (applied at epoch second <c>AppliedAt</c>, now
    /// <paramref name="now"/>): per test and sender the highest sequence number, forgotten <see cref="Memory"/> after
    /// it was applied, as if this writer had applied them.
    /// </summary>
    public void Restore(IEnumerable<(Guid MessageId, SenderOrder Order, long AppliedAt)> applied, long now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var ticks = Environment.TickCount64;
        foreach (var (messageId, order, appliedAt) in applied)
        {
            var key = (order.TestId, PacketStamp.Origin(messageId));
            if (!_latest.TryGetValue(key, out var latest) || order.Sequence > latest.Sequence)
            {
                _latest[key] = new Latest(order.Sequence, ticks - (Math.Max(0, now - appliedAt) * 1000));
            }
        }
    }

    /// <summary>The transaction of the changes seen since the last call committed: keep what they recorded.</summary>
    public void Committed() => _undo.Clear();

    /// <summary>The transaction rolled back: forget what its changes recorded.</summary>
    public void RolledBack()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (key, previous) = _undo[i];
            if (previous is { } p)
            {
                _latest[key] = p;
            }
            else
            {
                _latest.Remove(key);
            }
        }

        _undo.Clear();
    }

    private readonly record struct Latest(long Sequence, long At);
}
