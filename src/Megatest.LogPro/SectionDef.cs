namespace Megatest.LogPro;

/// <summary>A section delimited by a start and an optional end trigger (-1 when none).</summary>
internal sealed record SectionDef(string Name, int StartTrigger, int EndTrigger);
