namespace Megatest.LogPro;

/// <summary>One datum read from a rule file.</summary>
internal sealed class SExpr
{
    private static readonly IReadOnlyList<SExpr> s_empty = [];

    private SExpr(SExprKind kind, int line, string text, double number, bool flag, IReadOnlyList<SExpr> items)
    {
        Kind = kind;
        Line = line;
        Text = text;
        Number = number;
        Flag = flag;
        Items = items;
    }

    /// <summary>What this datum is.</summary>
    public SExprKind Kind { get; }

    /// <summary>The line the datum starts on.</summary>
    public int Line { get; }

    /// <summary>Symbol name, string value, regex source or number text.</summary>
    public string Text { get; }

    /// <summary>The value of a number.</summary>
    public double Number { get; }

    /// <summary>Boolean value, or "ignore case" for a regex.</summary>
    public bool Flag { get; }

    /// <summary>The regex flags after the closing slash (for example "i").</summary>
    public string RegexFlags { get; private init; } = "";

    /// <summary>The elements of a list.</summary>
    public IReadOnlyList<SExpr> Items { get; }

    /// <summary>True for a symbol named <paramref name="name"/>.</summary>
    public bool IsSymbol(string name) => Kind == SExprKind.Symbol && Text == name;

    /// <summary>True for a list whose first element is the symbol <paramref name="name"/>.</summary>
    public bool IsForm(string name) => Kind == SExprKind.List && Items.Count > 0 && Items[0].IsSymbol(name);

    public static SExpr List(int line, IReadOnlyList<SExpr> items) => new(SExprKind.List, line, "", 0, false, items);

    public static SExpr Symbol(int line, string name) => new(SExprKind.Symbol, line, name, 0, false, s_empty);

    public static SExpr Str(int line, string value) => new(SExprKind.String, line, value, 0, false, s_empty);

    public static SExpr Num(int line, string text, double value) => new(SExprKind.Number, line, text, value, false, s_empty);

    public static SExpr Bool(int line, bool value) => new(SExprKind.Boolean, line, value ? "#t" : "#f", 0, value, s_empty);

    public static SExpr Regex(int line, string source, string flags) =>
        new(SExprKind.Regex, line, source, 0, flags.Contains('i'), s_empty) { RegexFlags = flags };

    /// <summary>A short rendering for error messages.</summary>
    public override string ToString() => Kind switch
    {
        SExprKind.List => "(" + string.Join(' ', Items.Select(i => i.ToString())) + ")",
        SExprKind.String => "\"" + Text + "\"",
        SExprKind.Regex => "#/" + Text + "/" + RegexFlags,
        _ => Text,
    };
}
