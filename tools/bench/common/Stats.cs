using System.Globalization;

namespace Megatest.Bench.Common;

/// <summary>Medians, percentiles and number formatting shared by the benchmarks.</summary>
public static class Stats
{
    /// <summary>The median of <paramref name="values"/> (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..100) of an array sorted in place.</summary>
    public static double Percentile(double[] values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(values);
        var rank = (int)Math.Ceiling(p / 100.0 * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }

    /// <summary>Formats with invariant culture and <paramref name="format"/>.</summary>
    public static string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A ratio ours/baseline with two decimals.</summary>
    public static string Ratio(double ours, double baseline) => baseline == 0 ? "n/a" : F(ours / baseline, "0.00");
}
