using System.Globalization;
using System.Text.RegularExpressions;

namespace Megatest.Storage;

/// <summary>Recognises numeric-looking text (plain decimal notation, optional exponent) in invariant culture.</summary>
internal static partial class NumericText
{
    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[+-]?\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var trimmed = text.Trim();
        return NumberPattern().IsMatch(trimmed)
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>The value to bind for a field: a long or double when numeric-looking, null when blank, else the trimmed text.</summary>
    public static object? ToDbValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (IntegerPattern().IsMatch(trimmed) && long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return TryParse(trimmed, out var d) ? d : trimmed;
    }
}
