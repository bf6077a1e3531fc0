namespace Megatest.Cli;

/// <summary>
/// Megatest's command line: single-dash words, most taking one value; ":name" spellings are synonyms
/// used from inside tests. Words after -runstep NAME, -envcap and -envdelta are data.
/// </summary>
public sealed class CliArgs
{
    private static readonly HashSet<string> s_flags = new(StringComparer.Ordinal)
    {
        "-run", "-runall", "-list-targets", "-show-keys", "-show-config", "-show-runconfig", "-force", "-preclean",
        "-rerun-all", "-rerun-clean", "-list-db-targets", "-list-disks", "-test-status", "-h", "-help", "--help",
        "-version", "-run-wait", "-no-cache", "-clean-cache", "-keepgoing", "-load-test-data", "-summarize-items",
        "-show-cmdinfo", "-generate-html", "-remove-runs", "-lock", "-unlock", "-get-run-status", "-update-meta", "-mark-incompletes",
        "-test-paths", "-set-values", "-q", "-v", "-kill-runs", "-follow", "-no-follow",
        "-create-megatest-area", "-reduce-records", "-restore-records", "-full-db", "-migrate-home",
    };

    private static readonly HashSet<string> s_valued = new(StringComparer.Ordinal)
    {
        "-target", "-reqtarg", "-runname", "-testpatt", "-itempatt", "-tagexpr", "--modepatt", "-modepatt", "-state",
        "-status", "-rerun", "-setvars", "-list-runs", "-dumpmode", "-section", "-var", "-m", "-start-dir", "-config",
        "-runtests", "-setlog", "-set-toplog", "-step", "-debug", "-log", "-o", "-set-state-status", "-set-run-status",
        "-test-files", "-junit", "-env2file", "-sort", "-fields", "-logpro", "-archive", "-destination",
        "-envcap", "-envdelta", "-create-test", "-area", "-keys", "-disk", "-linktree", "-description", "-waiton", "-priority", "-steps", "-items", "-homehost",
    };

    private static readonly Dictionary<string, string> s_synonyms = new(StringComparer.Ordinal)
    {
        [":runname"] = "-runname",
        [":state"] = "-state",
        [":status"] = "-status",
        ["-runall"] = "-run",
        ["-modepatt"] = "--modepatt",
        ["-help"] = "-h",
        ["--help"] = "-h",
    };

    private static readonly HashSet<string> s_colonValues = new(StringComparer.Ordinal)
    {
        ":value", ":expected", ":tol", ":units", ":category", ":variable", ":comment", ":type",
    };

    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CliArgs()
    {
    }

    /// <summary>The first word, when it is a daemon verb (coordinator, agent, dbwriter, monitor, run).</summary>
    public string? Verb { get; private set; }

    /// <summary>Words after a verb that are not megatest options (e.g. "--slots 4"): the verb's own settings.</summary>
    public IReadOnlyList<string> VerbArgs { get; private set; } = [];

    /// <summary>Words that are data (after -runstep NAME and the like).</summary>
    public IReadOnlyList<string> Rest { get; private set; } = [];

    /// <summary>Whether an option was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The value of an option, or null.</summary>
    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>Parses; throws <see cref="UsageException"/> for unknown words or missing values.</summary>
    public static CliArgs Parse(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var args = new CliArgs();
        var i = 0;
        if (argv.Count > 0 && !argv[0].StartsWith('-') && !argv[0].StartsWith(':'))
        {
            args.Verb = argv[0];
            i = 1;
        }

        var unknown = new List<string>();
        for (; i < argv.Count; i++)
        {
            var word = argv[i];
            var name = s_synonyms.GetValueOrDefault(word, word);
            if (name == "-runstep")
            {
                if (i + 1 >= argv.Count)
                {
                    throw new UsageException("-runstep needs a step name and a command");
                }

                args._options["-runstep"] = argv[i + 1];
                for (var j = i + 2; j < argv.Count; j++)
                {
                    if (argv[j] == "-logpro" && j + 1 < argv.Count && args.Rest.Count == 0)
                    {
                        args._options["-logpro"] = argv[j + 1];
                        j++;
                        continue;
                    }

                    args.Rest = [.. argv.Skip(j)];
                    break;
                }

                break;
            }

            if (name is "-envcap" or "-envdelta")
            {
                // -envcap CTX [DBFILE], -envdelta A-B [DBFILE]: the optional file is data.
                if (i + 1 >= argv.Count)
                {
                    throw new UsageException($"{word} needs a value");
                }

                args._options[name] = argv[++i];
                if (i + 1 < argv.Count && !argv[i + 1].StartsWith('-'))
                {
                    args.Rest = [argv[++i]];
                }

                continue;
            }

            if (s_flags.Contains(name))
            {
                args._options[name] = null;
            }
            else if (s_valued.Contains(name) || s_colonValues.Contains(name))
            {
                if (i + 1 >= argv.Count)
                {
                    throw new UsageException($"{word} needs a value");
                }

                args._options[name] = argv[++i];
            }
            else
            {
                unknown.Add(word);
            }
        }

        if (args.Verb is not null)
        {
            args.VerbArgs = unknown;
            unknown = [];
        }

        if (unknown.Count > 0)
        {
            throw new UsageException("Unrecognised arguments: " + string.Join(" ", unknown));
        }

        if (args.Get("-itempatt") is { } itempatt)
        {
            args._options["-testpatt"] = (args.Get("-testpatt") ?? "%") + "/" + itempatt;
        }

        if (args.Get("-runtests") is { } runtests)
        {
            args._options["-run"] = null;
            args._options["-testpatt"] = runtests;
        }

        return args;
    }
}
