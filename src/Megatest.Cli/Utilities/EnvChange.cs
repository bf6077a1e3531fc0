namespace Megatest.Cli.Utilities;

/// <summary>One variable that differs between two captured environments.</summary>
/// <param name="Name">Variable name.</param>
/// <param name="OldValue">Value in the first context; null when the variable was added.</param>
/// <param name="NewValue">Value in the second context; null when the variable was removed.</param>
internal sealed record EnvChange(string Name, string? OldValue, string? NewValue);
