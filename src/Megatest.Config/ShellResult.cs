namespace Megatest.Config;

/// <summary>The outcome of one shell command.</summary>
internal readonly record struct ShellResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);
