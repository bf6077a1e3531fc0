using System.Threading.Channels;

namespace Megatest.Dashboard;

/// <summary>One browser connected to the event stream: the runs it follows and its outgoing queue.</summary>
internal sealed class SseClient
{
    private readonly HashSet<long>? _runs;

    /// <summary>Creates a client following <paramref name="runs"/> (null: every run).</summary>
    public SseClient(IReadOnlyCollection<long>? runs)
    {
        _runs = runs is { Count: > 0 } ? [.. runs] : null;
    }

    /// <summary>Events waiting to be written; bounded so a stalled browser cannot eat memory (it gets a resync instead).</summary>
    public Channel<string> Queue { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Set when an event had to be dropped; the writer then tells the browser to reload.</summary>
    public bool Overflowed { get; set; }

    /// <summary>True when the client wants events of <paramref name="runId"/>.</summary>
    public bool Follows(long runId) => _runs is null || _runs.Contains(runId);
}
