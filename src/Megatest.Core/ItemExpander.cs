namespace Megatest.Core;

/// <summary>Expands <c>[items]</c> and <c>[itemstable]</c> into the item list (SPEC §3.4).</summary>
public static class ItemExpander
{
    private static readonly char[] s_whitespace = [' ', '\t', '\r', '\n', '\f', '\v'];

    /// <summary>
    /// Expands the items of a test.
    /// </summary>
    /// <param name="items"><c>[items]</c> lines as (VAR, value text) in order; values are whitespace separated.</param>
    /// <param name="table"><c>[itemstable]</c> lines likewise.</param>
    /// <returns>
    /// <c>null</c> when the test is not itemized (no lines in either section: absent or present but empty);
    /// an empty list for zero items (a variable without values, e.g. <c>NADA</c> alone); else the cross product of
    /// <c>[items]</c> (first variable outermost) followed by the column-wise <c>[itemstable]</c> list (<c>-</c> fills
    /// short rows; generation stops at the first index no variable has a value for).
    /// </returns>
    public static IReadOnlyList<Item>? Expand(
        IReadOnlyList<KeyValuePair<string, string>> items,
        IReadOnlyList<KeyValuePair<string, string>> table)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(table);
        if (items.Count == 0 && table.Count == 0)
        {
            return null;
        }

        var result = new List<Item>();
        if (items.Count > 0)
        {
            result.AddRange(CrossProduct(items));
        }

        if (table.Count > 0)
        {
            result.AddRange(Table(table));
        }

        return result;
    }

    private static string[] Values(string? text) =>
        (text ?? "").Split(s_whitespace, StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<Item> CrossProduct(IReadOnlyList<KeyValuePair<string, string>> items)
    {
        var vars = items.Select(kv => (Name: kv.Key, Values: Values(kv.Value))).ToArray();
        IEnumerable<List<ItemVar>> acc = [[]];
        foreach (var (name, values) in vars)
        {
            var current = acc;
            acc = current.SelectMany(prefix => values.Select(v => new List<ItemVar>(prefix) { new(name, v) })).ToList();
        }

        return acc.Select(list => new Item(list));
    }

    private static IEnumerable<Item> Table(IReadOnlyList<KeyValuePair<string, string>> table)
    {
        var vars = table.Select(kv => (Name: kv.Key, Values: Values(kv.Value))).ToArray();
        var count = vars.Max(v => v.Values.Length);
        for (var i = 0; i < count; i++)
        {
            yield return new Item(vars.Select(v => new ItemVar(v.Name, i < v.Values.Length ? v.Values[i] : "-")).ToArray());
        }
    }
}
