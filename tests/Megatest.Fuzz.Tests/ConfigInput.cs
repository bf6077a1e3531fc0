using Megatest.Config;

namespace Megatest.Fuzz.Tests;

/// <summary>One config fuzz input: the text, the file name it is read as, and how it is read.</summary>
/// <param name="Text">The config text.</param>
/// <param name="FileName">The name it is read under (anchors relative includes).</param>
/// <param name="Kind">The kind of config (export and target rules).</param>
/// <param name="Target">The target, or null.</param>
/// <param name="AreaHome">The area top path given to the reader (MT_RUN_AREA_HOME too), or null.</param>
/// <param name="Origin">How it was made.</param>
public sealed record ConfigInput(string Text, string FileName, ConfigKind Kind, string? Target, string? AreaHome, string Origin)
{
    /// <summary>A printable form: options and the text as a C# literal (cut at 4 000 characters).</summary>
    public string Describe() =>
        $"{Origin}; ReadText(fileName: \"{FileName}\", Kind = {Kind}, Target = {(Target is null ? "null" : "\"" + Target + "\"")}, AreaHome = {(AreaHome is null ? "null" : "\"" + AreaHome + "\"")}, AllowShell = false); {Text.Length} chars: \"{Escape(Text.Length > 4000 ? Text[..4000] + "…" : Text)}\"";

    private static string Escape(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 || char.IsSurrogate(c) || c is >= '\u007f' and <= '\u00a0' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
