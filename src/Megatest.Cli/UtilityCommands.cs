namespace Megatest.Cli;

/// <summary>Utility commands of SPEC §7.1 that do not change the database (-env2file, -envcap, -create-test …).</summary>
public static class UtilityCommands
{
    /// <summary>Runs the utility the arguments ask for and returns its exit code, or null when none applies.</summary>
    public static int? TryRun(CliArgs args, TextReader input, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        return null;
    }
}
