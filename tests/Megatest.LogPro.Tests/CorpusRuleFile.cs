namespace Megatest.LogPro.Tests;

/// <summary>One rule text found in the shared corpus: a .logpro file or a key of a [logpro] section.</summary>
public sealed record CorpusRuleFile(string Area, string RelativePath, string Key, string Text, int FirstLine, IReadOnlyList<string> StepNames)
{
    /// <summary>The name used in error messages.</summary>
    public string Name => Key.Length == 0 ? RelativePath : $"{RelativePath}[logpro] {Key}";

    /// <summary>xunit display.</summary>
    public override string ToString() => Name;
}
