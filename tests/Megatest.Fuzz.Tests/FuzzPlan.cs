namespace Megatest.Fuzz.Tests;

/// <summary>How a fuzz run is carried out.</summary>
/// <param name="Name">Printed in the figures.</param>
/// <param name="BaseSeed">The fixed seed of the run; every case seed derives from it.</param>
/// <param name="Count">How many inputs.</param>
/// <param name="PerInputLimit">An input taking longer than this is a hang (a hang detector, not a benchmark).</param>
public sealed record FuzzPlan(string Name, int BaseSeed, int Count, TimeSpan PerInputLimit)
{
    /// <summary>Worker threads; the inputs are split between them.</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Failures kept with full detail (the rest are only counted).</summary>
    public int MaxFailureDetails { get; init; } = 20;
}
