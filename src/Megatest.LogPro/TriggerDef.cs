namespace Megatest.LogPro;

/// <summary>A trigger: fires on up to <see cref="Limit"/> matching lines and opens or closes sections.</summary>
internal sealed record TriggerDef(int Index, string Name, int Limit, bool Required, PatternSet Pattern, int Line);
