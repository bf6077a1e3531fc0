namespace Megatest.LogPro;

/// <summary>The kinds of datum the rule-file reader produces.</summary>
internal enum SExprKind
{
    List,
    Symbol,
    String,
    Number,
    Regex,
    Boolean,
}
