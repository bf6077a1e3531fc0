namespace Megatest.Storage;

/// <summary>A step event to record; upserted on (test, step name, state).</summary>
/// <param name="StepName">The step name.</param>
/// <param name="State">Step state, normally <c>start</c> or <c>end</c>.</param>
/// <param name="Status">Step status (<c>-</c> at start, the exit code at end).</param>
/// <param name="EventTime">Event time, epoch seconds.</param>
/// <param name="Comment">Comment, or null to keep the stored one (empty on insert).</param>
/// <param name="LogFile">Log file, or null to keep the stored one (empty on insert).</param>
public sealed record StepRecord(string StepName, string State, string Status, long EventTime, string? Comment, string? LogFile);
