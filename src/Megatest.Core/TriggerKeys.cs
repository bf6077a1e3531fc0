namespace Megatest.Core;

/// <summary>Trigger keys checked on a state/status change (SPEC §4.3).</summary>
public static class TriggerKeys
{
    /// <summary>The keys <c>STATE/STATUS</c>, <c>STATE/</c> and <c>/STATUS</c>, in that order.</summary>
    public static IReadOnlyList<string> For(string state, string status)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(status);
        return [$"{state}/{status}", $"{state}/", $"/{status}"];
    }
}
