namespace Megatest.Cli.Utilities;

/// <summary>-env2file NAME, -envcap CTX [DBFILE] and -envdelta A-B [DBFILE] [-dumpmode M] [-o FILE].</summary>
internal static class EnvCommands
{
    /// <summary>The database used when no DBFILE is given.</summary>
    public const string DefaultDatabase = "envdat.db";

    /// <summary>-env2file NAME.</summary>
    public static int Env2File(CliArgs args, TextWriter output)
    {
        var name = args.Get("-env2file")!;
        if (name.Trim().Length == 0)
        {
            throw new UsageException("-env2file needs a file name (NAME gives NAME.sh and NAME.csh)");
        }

        var (sh, csh) = EnvFileWriter.Write(name, EnvFileWriter.ProcessEnvironment());
        output.WriteLine($"Wrote {sh} and {csh}");
        return 0;
    }

    /// <summary>-envcap CTX [DBFILE].</summary>
    public static int Capture(CliArgs args, TextWriter output)
    {
        var context = args.Get("-envcap")!.Trim();
        if (context.Length == 0)
        {
            throw new UsageException("-envcap needs a context name");
        }

        var dbFile = DatabaseFile(args);
        var env = EnvFileWriter.ProcessEnvironment();
        using (var store = EnvStore.Open(dbFile, create: true))
        {
            store.Capture(context, env);
        }

        output.WriteLine($"Captured {env.Count} variables as context {context} in {dbFile}");
        return 0;
    }

    /// <summary>-envdelta A-B [DBFILE] [-dumpmode bash|csh|ini|config] [-o FILE].</summary>
    public static int Delta(CliArgs args, TextWriter output)
    {
        var spec = args.Get("-envdelta")!.Trim();
        var mode = args.Get("-dumpmode") ?? "bash";
        if (!EnvDelta.Modes.Contains(mode, StringComparer.Ordinal))
        {
            throw new UsageException($"-envdelta: -dumpmode {mode} is not one of {string.Join(", ", EnvDelta.Modes)}");
        }

        var dbFile = DatabaseFile(args);
        using var store = EnvStore.Open(dbFile, create: false);
        var (from, to) = SplitContexts(spec, store.Contexts(), dbFile);
        var changes = EnvDelta.Compute(store.Load(from)!, store.Load(to)!);
        if (args.Get("-o") is { } outFile)
        {
            using var writer = new StreamWriter(outFile) { NewLine = "\n" };
            EnvDelta.Write(writer, from, to, changes, mode);
            return 0;
        }

        EnvDelta.Write(output, from, to, changes, mode);
        return 0;
    }

    /// <summary>DBFILE: the first data word after the context when the parser passes one on, else envdat.db.</summary>
    private static string DatabaseFile(CliArgs args) => args.Rest.Count > 0 ? args.Rest[0] : DefaultDatabase;

    /// <summary>Splits "A-B" at the '-' that leaves two captured contexts (context names may contain '-').</summary>
    private static (string From, string To) SplitContexts(string spec, IReadOnlyList<string> contexts, string dbFile)
    {
        var dashes = Enumerable.Range(0, spec.Length).Where(i => spec[i] == '-' && i > 0 && i < spec.Length - 1).ToList();
        if (dashes.Count == 0)
        {
            throw new UsageException($"-envdelta {spec}: expected two contexts as FROM-TO");
        }

        foreach (var i in dashes)
        {
            var (from, to) = (spec[..i], spec[(i + 1)..]);
            if (contexts.Contains(from, StringComparer.Ordinal) && contexts.Contains(to, StringComparer.Ordinal))
            {
                return (from, to);
            }
        }

        var missing = dashes.Count == 1
            ? new[] { spec[..dashes[0]], spec[(dashes[0] + 1)..] }.Where(c => !contexts.Contains(c, StringComparer.Ordinal))
            : [spec];
        throw new UsageException($"-envdelta {spec}: no captured context {string.Join(" or ", missing)} in {dbFile} (known: {(contexts.Count == 0 ? "none" : string.Join(", ", contexts))})");
    }
}
