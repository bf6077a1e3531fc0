namespace Megatest.Config;

/// <summary>A target does not fit the area's keys.</summary>
public sealed class TargetException : Exception
{
    /// <summary>Creates the error.</summary>
    public TargetException(string target, IReadOnlyList<string> keys)
        : base($"Invalid target '{target}': expected {keys.Count} values for keys {string.Join('/', keys)}")
    {
        Target = target;
        Keys = keys;
    }

    /// <summary>The rejected target.</summary>
    public string Target { get; }

    /// <summary>The area's keys.</summary>
    public IReadOnlyList<string> Keys { get; }
}
