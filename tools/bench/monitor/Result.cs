namespace Megatest.Bench.Monitor;

/// <summary>One paced run of one contender at one rate.</summary>
/// <param name="Sent">Changes sent.</param>
/// <param name="Received">Changes the subscriber received on the stream.</param>
/// <param name="Achieved">Changes per second from the first send to the last change received.</param>
/// <param name="P50">Median latency, µs.</param>
/// <param name="P99">99th percentile latency, µs.</param>
/// <param name="StampP50">Median of commit (writer's header stamp, 1 ms resolution) to subscriber, µs; NaN for raw.</param>
/// <param name="StampP99">99th percentile of the same, µs.</param>
/// <param name="Gaps">Changes missing from the stream (sequence gaps), before any resynchronisation.</param>
/// <param name="MissedAfterResync">Rows whose latest value the subscriber does not hold after resynchronising.</param>
public sealed record Result(long Sent, long Received, double Achieved, double P50, double P99, double StampP50, double StampP99, long Gaps, long MissedAfterResync);
