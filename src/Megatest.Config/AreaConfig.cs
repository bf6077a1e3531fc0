namespace Megatest.Config;

/// <summary>
/// A test area: megatest.config found from a start directory upward, its keys, and runconfigs.config
/// read for a target, with the environment exports of SPEC §2.7.
/// </summary>
public sealed class AreaConfig
{
    private AreaConfig(string topPath, string fileName, string? target, ConfigData megatest, ConfigData runConfigs,
        IReadOnlyList<string> keys, EnvironmentScope environment)
    {
        TopPath = topPath;
        FileName = fileName;
        Target = target;
        Megatest = megatest;
        RunConfigs = runConfigs;
        Keys = keys;
        Environment = environment;
        LinkTree = ComputeLinkTree();
        TestsDirectories = ComputeTestsDirectories();
    }

    /// <summary>The area top path (directory holding the config file).</summary>
    public string TopPath { get; }

    /// <summary>Full path of the megatest.config that was read.</summary>
    public string FileName { get; }

    /// <summary>The target the area was loaded for (null when none).</summary>
    public string? Target { get; }

    /// <summary>The processed megatest.config.</summary>
    public ConfigData Megatest { get; }

    /// <summary>The processed runconfigs.config (empty when absent).</summary>
    public ConfigData RunConfigs { get; }

    /// <summary>The key names from [fields], in order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The environment after all exports (the scope given to <see cref="Load"/>).</summary>
    public EnvironmentScope Environment { get; }

    /// <summary>Link tree root: env MT_LINKTREE, else [setup] linktree, else TopPath/lt.</summary>
    public string LinkTree { get; }

    /// <summary>megatest.db in [setup] dbdir (relative to the area top), else in the area top.</summary>
    public string DatabasePath => DatabasePathOf(Megatest, TopPath);

    private static string DatabasePathOf(ConfigData megatest, string topPath)
    {
        var dbdir = megatest.Get("setup", "dbdir")?.Trim();
        var dir = string.IsNullOrEmpty(dbdir) ? topPath : System.IO.Path.GetFullPath(System.IO.Path.Combine(topPath, dbdir));
        return System.IO.Path.Combine(dir, "megatest.db");
    }

    /// <summary>
    /// The <see cref="DatabasePath"/> of the area found from <paramref name="startDirectory"/> upward, reading only
    /// megatest.config (no runconfigs.config, no target): what a read-only query needs before it opens the database.
    /// </summary>
    /// <exception cref="AreaNotFoundException">No config file found.</exception>
    /// <exception cref="ConfigException">megatest.config has an error.</exception>
    public static string LocateDatabase(string startDirectory, EnvironmentScope env, string configFileName = "megatest.config")
    {
        ArgumentNullException.ThrowIfNull(startDirectory);
        ArgumentNullException.ThrowIfNull(env);
        var start = Path.GetFullPath(startDirectory);
        var configPath = FindConfig(start, configFileName) ?? throw new AreaNotFoundException(start, configFileName);
        var top = Path.GetDirectoryName(configPath)!;
        env.Set("MT_RUN_AREA_HOME", top);
        return DatabasePathOf(ReadMegatestConfig(configPath, top, start, null, env), top);
    }

    /// <summary>
    /// <c>[db] api</c>: <c>new</c> keeps each run's tests in a database file of their own beside the main database;
    /// <c>legacy</c> (the default) keeps everything in megatest.db.
    /// </summary>
    /// <exception cref="ConfigException">Any other value (names file and line).</exception>
    public bool PerRunDatabases
    {
        get
        {
            var value = Megatest.Get("db", "api")?.Trim();
            switch (value)
            {
                case null or "" or "legacy":
                    return false;
                case "new":
                    return true;
                default:
                    var loc = Megatest.LocationOf("db", "api");
                    throw new ConfigException(loc?.File ?? FileName, loc?.Line ?? 0, $"[db] api is '{value}'; expected legacy or new");
            }
        }
    }

    /// <summary>The run's own directory in the link tree: MT_RUNPATH = LINKTREE/TARGET/RUNNAME.</summary>
    public string RunPath(string target, string runName) => System.IO.Path.Combine(LinkTree, target, runName);

    /// <summary>Directories searched for tests: existing [tests-paths] entries, then TopPath/tests.</summary>
    public IReadOnlyList<string> TestsDirectories { get; }

    /// <summary>
    /// Finds <paramref name="configFileName"/> from <paramref name="startDirectory"/> upward and reads the area.
    /// </summary>
    /// <exception cref="AreaNotFoundException">No config file found.</exception>
    /// <exception cref="TargetException">The target does not fit the keys.</exception>
    /// <exception cref="ConfigException">A config file has an error.</exception>
    public static AreaConfig Load(string startDirectory, string? target, EnvironmentScope env, string configFileName = "megatest.config")
    {
        ArgumentNullException.ThrowIfNull(startDirectory);
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(configFileName);
        var start = Path.GetFullPath(startDirectory);
        var configPath = FindConfig(start, configFileName) ?? throw new AreaNotFoundException(start, configFileName);
        var top = Path.GetDirectoryName(configPath)!;
        target = string.IsNullOrEmpty(target) ? null : target;

        env.Set("MT_RUN_AREA_HOME", top);
        if (target is not null)
        {
            env.Set("MT_TARGET", target);
        }

        var megatest = ReadMegatestConfig(configPath, top, start, target, env);

        var keys = new List<string>();
        foreach (var (key, _) in megatest.Section("fields"))
        {
            if (ConfigParser.IsReservedKey(key))
            {
                var loc = megatest.LocationOf("fields", key);
                throw new ConfigException(loc?.File ?? configPath, loc?.Line ?? 0, $"key name '{key}' in [fields] is reserved and cannot be used");
            }

            keys.Add(key);
        }

        var suiteName = NonEmpty(megatest.Get("setup", "area-name"))
            ?? NonEmpty(megatest.Get("setup", "testsuite"))
            ?? NonEmpty(env.Get("MT_TESTSUITE_NAME"))
            ?? Path.GetFileName(top);
        env.Set("MT_TESTSUITENAME", suiteName);

        if (target is not null)
        {
            var parts = target.Split('/');
            if (parts.Length != keys.Count || parts.Any(p => p.Length == 0))
            {
                throw new TargetException(target, keys);
            }

            for (var i = 0; i < parts.Length; i++)
            {
                if (!keys[i].Contains(':'))
                {
                    env.Set(keys[i], parts[i]);
                }
            }
        }

        var runConfigsPath = Path.Combine(top, "runconfigs.config");
        var runConfigs = new ConfigData();
        if (File.Exists(runConfigsPath))
        {
            if (target is null)
            {
                runConfigs = ReadRunConfigs(runConfigsPath, null, env);
            }
            else
            {
                runConfigs = ConfigReader.ReadFile(runConfigsPath, new ConfigReadOptions
                {
                    Kind = ConfigKind.RunConfigs,
                    Environment = env,
                    Target = target,
                    AreaHome = top,
                    WorkingDirectory = start,
                });
                ExportRunConfigs(runConfigs, target, env, start);
            }
        }

        return new AreaConfig(top, configPath, target, megatest, runConfigs, keys, env);
    }

    private static ConfigData ReadMegatestConfig(string configPath, string top, string start, string? target, EnvironmentScope env) =>
        ConfigReader.ReadFile(configPath, new ConfigReadOptions
        {
            Kind = ConfigKind.MegatestConfig,
            Environment = env,
            Target = target,
            AreaHome = top,
            WorkingDirectory = start,
        });

    /// <summary>
    /// Reads a runconfigs.config. With a target only [default] and [target] are kept and shell helpers run;
    /// with a null target all sections are kept and no shell runs (for -show-runconfig / -list-targets).
    /// </summary>
    public static ConfigData ReadRunConfigs(string path, string? target, EnvironmentScope env)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(env);
        var full = Path.GetFullPath(path);
        return ConfigReader.ReadFile(full, new ConfigReadOptions
        {
            Kind = ConfigKind.RunConfigs,
            Environment = env,
            Target = string.IsNullOrEmpty(target) ? null : target,
            AllowShell = !string.IsNullOrEmpty(target),
            WorkingDirectory = Path.GetDirectoryName(full),
        });
    }

    /// <summary>Exports runconfigs [default] then [target] (values echo-evaluated by the shell); names with ':' are skipped.</summary>
    public static void ExportRunConfigs(ConfigData runConfigs, string target, EnvironmentScope env, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(runConfigs);
        ArgumentNullException.ThrowIfNull(env);
        foreach (var section in new[] { "default", target })
        {
            foreach (var (key, value) in runConfigs.Section(section))
            {
                // Names with ':' are never exported; !VAR is readable with #{rget VAR} but kept out of the environment.
                if (!key.Contains(':') && !key.StartsWith('!'))
                {
                    env.Set(key, ConfigReader.EchoEvaluate(value, env, workingDirectory));
                }
            }
        }
    }

    /// <summary>The directory of test <paramref name="testName"/> (first tests dir holding testName/testconfig), or null.</summary>
    public string? FindTestDirectory(string testName)
    {
        ArgumentNullException.ThrowIfNull(testName);
        if (testName.Length == 0 || testName.Contains('/') || testName == "." || testName == "..")
        {
            return null;
        }

        foreach (var dir in TestsDirectories)
        {
            var candidate = Path.Combine(dir, testName);
            if (File.Exists(Path.Combine(candidate, "testconfig")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>All test names in the tests directories, sorted and unique.</summary>
    public IReadOnlyList<string> AllTestNames()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dir in TestsDirectories)
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var sub in Directory.GetDirectories(dir))
            {
                if (File.Exists(Path.Combine(sub, "testconfig")))
                {
                    names.Add(Path.GetFileName(sub));
                }
            }
        }

        return names.ToList();
    }

    /// <summary>Reads a test's testconfig (Kind TestConfig); sets MT_TEST_NAME in <paramref name="env"/> first.</summary>
    /// <exception cref="FileNotFoundException">No such test.</exception>
    public ConfigData ReadTestConfig(string testName, EnvironmentScope env, bool allowShell = true)
    {
        ArgumentNullException.ThrowIfNull(env);
        var dir = FindTestDirectory(testName)
            ?? throw new FileNotFoundException($"Test '{testName}' not found (no {testName}/testconfig in {string.Join(", ", TestsDirectories)})");
        env.Set("MT_TEST_NAME", testName);
        return ConfigReader.ReadFile(Path.Combine(dir, "testconfig"), new ConfigReadOptions
        {
            Kind = ConfigKind.TestConfig,
            Environment = env,
            AllowShell = allowShell,
            Target = Target,
            AreaHome = TopPath,
            WorkingDirectory = dir,
            RunConfigs = RunConfigs,
        });
    }

    private static string? FindConfig(string start, string configFileName)
    {
        if (Path.IsPathRooted(configFileName))
        {
            return File.Exists(configFileName) ? Path.GetFullPath(configFileName) : null;
        }

        for (var dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, configFileName);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private string ComputeLinkTree()
    {
        var lt = NonEmpty(Environment.Get("MT_LINKTREE")) ?? NonEmpty(Megatest.Get("setup", "linktree")) ?? Path.Combine(TopPath, "lt");
        return Path.IsPathRooted(lt) ? lt : Path.Combine(TopPath, lt);
    }

    private List<string> ComputeTestsDirectories()
    {
        var dirs = new List<string>();
        foreach (var (key, value) in Megatest.Section("tests-paths"))
        {
            var raw = NonEmpty(value) ?? key;
            var path = Path.IsPathRooted(raw) ? raw : Path.Combine(TopPath, raw);
            if (Directory.Exists(path))
            {
                dirs.Add(path);
            }
            else
            {
                Megatest.AddWarning($"{FileName}: [tests-paths] {key}: directory '{path}' does not exist, ignored");
            }
        }

        dirs.Add(Path.Combine(TopPath, "tests"));
        return dirs;
    }
}
