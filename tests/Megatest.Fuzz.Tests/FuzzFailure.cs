namespace Megatest.Fuzz.Tests;

/// <summary>One failing fuzz case: what went wrong and how to replay it.</summary>
/// <param name="Kind">crash, hang or contract.</param>
/// <param name="Index">The case index within the run.</param>
/// <param name="CaseSeed">The seed that regenerates the input (see <see cref="FuzzSeed"/>).</param>
/// <param name="Input">A printable form of the input.</param>
/// <param name="Detail">The exception, the time taken or the broken promise.</param>
public sealed record FuzzFailure(string Kind, int Index, int CaseSeed, string Input, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Kind}] case {Index} (case seed {CaseSeed}): {Detail}\n  input: {Input}";
}
