namespace Megatest.Core;

/// <summary>Validates and splits targets against the area's keys (SPEC §3.1).</summary>
public static class TargetKeys
{
    /// <summary>Splits <c>v1/v2/…</c> into one value per key.</summary>
    /// <exception cref="ArgumentException">
    /// "Invalid target 'T': expected N values for keys K1/K2, got M" for a wrong number of components or an empty
    /// component (M is then the number of non-empty components).
    /// </exception>
    public static string[] Split(string target, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(keys);
        var parts = target.Split('/');
        var nonEmpty = parts.Count(p => p.Length > 0);
        if (parts.Length != keys.Count || nonEmpty != parts.Length)
        {
            var got = parts.Length != keys.Count ? parts.Length : nonEmpty;
            if (target.Length == 0)
            {
                got = 0;
            }

            throw new ArgumentException(
                $"Invalid target '{target}': expected {keys.Count} values for keys {string.Join("/", keys)}, got {got}");
        }

        return parts;
    }

    /// <summary>Joins one value per key into a target.</summary>
    public static string Join(IEnumerable<string> values) => string.Join("/", values);
}
