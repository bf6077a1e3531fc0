using System.Globalization;

namespace Megatest.Storage;

/// <summary>Computes a test_data row's status from value, expected and tolerance (SPEC §7.2).</summary>
public static class TestDataStatus
{
    /// <summary>
    /// When value and expected are both numeric: a numeric tol gives <c>pass</c> when
    /// <c>expected - tol &lt;= value &lt;= expected + tol</c>, else <c>fail</c>; tol <c>&gt; &lt; &gt;= &lt;=</c>
    /// gives <c>pass</c> when <c>value OP expected</c> holds, else <c>fail</c>; any other non-blank tol gives an
    /// error string starting with <c>ERROR:</c>. Returns null when not computable (non-numeric value or
    /// expected, or blank tol).
    /// </summary>
    public static string? Compute(string? value, string? expected, string? tol)
    {
        if (!NumericText.TryParse(value, out var v) || !NumericText.TryParse(expected, out var e))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(tol))
        {
            return null;
        }

        var t = tol.Trim();
        if (NumericText.TryParse(t, out var band))
        {
            return InBand(value!, expected!, t, v, e, band) ? "pass" : "fail";
        }

        bool? holds = t switch
        {
            ">" => v > e,
            "<" => v < e,
            ">=" => v >= e,
            "<=" => v <= e,
            _ => null,
        };
        return holds switch
        {
            true => "pass",
            false => "fail",
            null => $"ERROR: bad tol \"{t}\": expected a number or one of > < >= <=",
        };
    }

    private static bool InBand(string value, string expected, string tol, double v, double e, double band)
    {
        // Decimal arithmetic avoids binary rounding at the band edges (10 ± 0.1 must include 10.1).
        if (decimal.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var dv)
            && decimal.TryParse(expected.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var de)
            && decimal.TryParse(tol, NumberStyles.Float, CultureInfo.InvariantCulture, out var dt))
        {
            try
            {
                return de - dt <= dv && dv <= de + dt;
            }
            catch (OverflowException)
            {
                // Beyond decimal range: fall through to double arithmetic.
            }
        }

        return e - band <= v && v <= e + band;
    }
}
