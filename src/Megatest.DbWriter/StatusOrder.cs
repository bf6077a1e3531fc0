using Megatest.Protocol;
using Megatest.Protocol.Transport;

namespace Megatest.DbWriter;

/// <summary>
/// Keeps one sender's status changes of a test in the order they were sent. A packet lost with a db writer that
/// died (it was in the dead writer's socket, never read) reaches the next db writer only when its sender sends it
/// again, after the sender's later packets of the same test were applied: applied as it is, its old state and
/// status would overwrite the newer ones (a test that had ended COMPLETED would stay RUNNING). Every sender numbers
/// its packets (<see cref="PacketHeader.Sequence"/>), so the writer remembers per test and sender (the stamp that made
/// the message id: a sender that started again counts from 1 under a new one) the highest number it applied, and a
/// late status change keeps only the fields that are set once and never go
/// back (host, uname, run dir, short dir, attempt number).
/// </summary>
internal sealed class StatusOrder
{
    // Resends come within seconds; ten minutes of memory per test is plenty and bounds the map on long-lived writers.
    private static readonly long s_forgetAfterMs = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;
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
