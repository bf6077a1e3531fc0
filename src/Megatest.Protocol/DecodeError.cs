namespace Megatest.Protocol;

/// <summary>Why a frame set could not be decoded: what was expected and what arrived.</summary>
/// <param name="Field">The frame or field that was wrong.</param>
/// <param name="Reason">A sentence naming what was expected and what arrived.</param>
public sealed record DecodeError(string Field, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Reason}";
}
