namespace Megatest.Storage;

/// <summary>One row of the <c>test_steps</c> table.</summary>
/// <param name="Id">The step row id.</param>
/// <param name="TestId">The test the step belongs to.</param>
/// <param name="StepName">The step name.</param>
/// <param name="State">Step state (<c>start</c>/<c>end</c>).</param>
/// <param name="Status">Step status.</param>
/// <param name="EventTime">Event time, epoch seconds.</param>
/// <param name="Comment">Comment.</param>
/// <param name="LogFile">Log file.</param>
public sealed record StepRow(long Id, long TestId, string StepName, string State, string Status, long EventTime, string Comment, string LogFile);
