using Microsoft.Extensions.Logging;

namespace Megatest.Cli;

/// <summary>Daemon verbs: `megatest coordinator|agent|dbwriter|monitor|dashboard …`.</summary>
public static class Verbs
{
    /// <summary>Runs the verb; unknown verbs are a usage error.</summary>
    public static int Run(CliArgs args, TextWriter output, TextWriter errors, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(args);
        throw new UsageException($"Unrecognised arguments: {args.Verb}");
    }
}
