namespace Megatest.Core;

/// <summary>One item of an itemized test: its variables in order (SPEC §3.4).</summary>
/// <param name="Vars">The variables in variable order.</param>
public sealed record Item(IReadOnlyList<ItemVar> Vars)
{
    private string? _path;

    /// <summary>The item path: values in variable order joined by <c>/</c> (computed once; the scheduler asks often).</summary>
    public string Path => _path ??= string.Join("/", Vars.Select(v => v.Value));

    /// <summary>Value-based equality (the default record equality would compare the list by reference).</summary>
    public bool Equals(Item? other) =>
        other is not null && Vars.Count == other.Vars.Count && Vars.SequenceEqual(other.Vars);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in Vars)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Path;
}
