using Megatest.Cli.Utilities;

namespace Megatest.Cli;

/// <summary>Utility commands of SPEC §7.1 that do not change the database (-env2file, -envcap, -create-test …).</summary>
public static class UtilityCommands
{
    private static readonly string[] s_areaOptions = ["-area", "-keys", "-disk", "-linktree"];
    private static readonly string[] s_testOptions = ["-description", "-waiton", "-priority", "-steps", "-items"];

    /// <summary>Runs the utility the arguments ask for and returns its exit code, or null when none applies.</summary>
    public static int? TryRun(CliArgs args, Func<TextReader> input, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args.Has("-env2file"))
        {
            return EnvCommands.Env2File(args, output);
        }

        if (args.Has("-envcap"))
        {
            return EnvCommands.Capture(args, output);
        }

        if (args.Has("-envdelta"))
        {
            return EnvCommands.Delta(args, output);
        }

        if (args.Has("-create-megatest-area"))
        {
            RefuseStray(args, s_testOptions, "-create-test");
            return AreaCreator.Run(args, new Prompter(input(), output), output);
        }

        if (args.Has("-create-test"))
        {
            RefuseStray(args, s_areaOptions, "-create-megatest-area");
            return TestCreator.Run(args, new Prompter(input(), output), output, errors);
        }

        RefuseStray(args, s_areaOptions, "-create-megatest-area");
        RefuseStray(args, s_testOptions, "-create-test");
        if (args.Has("-test-paths") || args.Has("-test-files"))
        {
            return TestPathsCommand.Run(args, output);
        }

        return null;
    }

    private static void RefuseStray(CliArgs args, string[] options, string owner)
    {
        if (options.FirstOrDefault(args.Has) is { } stray)
        {
            throw new UsageException($"{stray} goes only with {owner}");
        }
    }
}
