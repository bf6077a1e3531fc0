namespace Megatest.Config;

/// <summary>How a config file is read.</summary>
public sealed class ConfigReadOptions
{
    /// <summary>The kind of file (export rules).</summary>
    public ConfigKind Kind { get; init; } = ConfigKind.Generic;

    /// <summary>Environment read by <c>#{getenv}</c>, given to shell commands and receiving exports.</summary>
    public required EnvironmentScope Environment { get; init; }

    /// <summary>Whether shell helpers, <c>[system]</c> and <c>[scriptinc]</c> may run.</summary>
    public bool AllowShell { get; init; } = true;

    /// <summary>The target: for <c>rget</c>, runconfigs sections and key export.</summary>
    public string? Target { get; init; }

    /// <summary>The area top path for <c>#{mtrah}</c> (falls back to MT_RUN_AREA_HOME).</summary>
    public string? AreaHome { get; init; }

    /// <summary>Working directory of shell commands and <c>[scriptinc]</c>; default the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The area's runconfigs for the target, consulted by #{rget VAR} when the file being read has no VAR (how !VAR variables are read).</summary>
    public ConfigData? RunConfigs { get; init; }
}
