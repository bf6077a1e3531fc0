namespace Megatest.Core;

/// <summary>Parses <c>[requirements] mode</c> values (SPEC §4.1).</summary>
public static class WaitModes
{
    /// <summary>
    /// Parses space-separated words <c>normal</c>, <c>toplevel</c>, <c>itemwait</c>/<c>itemmatch</c>,
    /// <c>exclusive</c> (case-insensitive); null or blank = <see cref="WaitMode.Normal"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown word (named in the message).</exception>
    public static WaitMode Parse(string? modeWords)
    {
        var mode = WaitMode.Normal;
        if (modeWords is null)
        {
            return mode;
        }

        foreach (var word in modeWords.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            mode |= word.ToLowerInvariant() switch
            {
                "normal" => WaitMode.Normal,
                "toplevel" => WaitMode.Toplevel,
                "itemwait" or "itemmatch" => WaitMode.ItemWait,
                "exclusive" => WaitMode.Exclusive,
                _ => throw new ArgumentException(
                    $"Unknown wait mode '{word}' (expected normal, toplevel, itemwait, itemmatch or exclusive)",
                    nameof(modeWords)),
            };
        }

        return mode;
    }
}
