using System.Text.RegularExpressions;

namespace Megatest.Config;

/// <summary>The line-by-line reader behind <see cref="ConfigReader"/> (SPEC §2).</summary>
internal sealed partial class ConfigParser
{
    private const int MaxIncludeDepth = 32;
    private readonly Dictionary<string, Func<string, bool>> _wildcards = new(StringComparer.Ordinal);
    private const int MaxExpansions = 100_000;
    private const int MaxExpandedLine = 4 * 1024 * 1024;
    private static readonly TimeSpan s_slowCommand = TimeSpan.FromSeconds(2);

    private static readonly HashSet<string> s_reservedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "runname", "state", "status", "owner", "event_time", "comment", "fail_count", "pass_count", "contour",
    };

    private readonly ConfigData _data = new();
    private readonly HashSet<string> _namedSections = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="key"/> may not be a [fields] key name (SPEC §3.1).</summary>
    internal static bool IsReservedKey(string key) => s_reservedKeys.Contains(key);

    private readonly ConfigReadOptions _options;
    private readonly EnvironmentScope _env;
    private readonly string _workDir;
    private readonly string? _target;
    private bool _trimTrailing;
    private string _section = "default";
    private ConfigLocation _sectionLocation = new("", 0);
    private int _depth;
    private Pending? _pending;

    public ConfigParser(ConfigReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Environment);
        _options = options;
        _env = options.Environment;
        _workDir = string.IsNullOrEmpty(options.WorkingDirectory)
            ? Directory.GetCurrentDirectory()
            : Path.GetFullPath(options.WorkingDirectory);
        _target = string.IsNullOrEmpty(options.Target) ? null : options.Target;
    }

    private bool IsRunConfigsForTarget => _options.Kind == ConfigKind.RunConfigs && _target is not null;

    /// <summary>Reads a whole top-level text.</summary>
    public ConfigData Read(string text, string fileName)
    {
        if (IsRunConfigsForTarget)
        {
            _data.EnsureSection("default");
            _data.EnsureSection(_target!);
        }

        _sectionLocation = new ConfigLocation(fileName, 0);
        Process(text, fileName, BaseDirectoryOf(fileName));
        LeaveSection();

        if (IsRunConfigsForTarget)
        {
            foreach (var name in _data.SectionNames.ToList())
            {
                // Only [default] and [TARGET] survive; a pre-created one that the file never named and no
                // wildcard filled is dropped again, so HasSection(target) tells whether the file has it.
                var keep = (name == "default" || name == _target) &&
                    (_namedSections.Contains(name) || _data.Entries(name).Count > 0);
                if (!keep)
                {
                    _data.RemoveSection(name);
                }
            }
        }

        return _data;
    }

    private string BaseDirectoryOf(string fileName)
    {
        var dir = Path.GetDirectoryName(fileName);
        if (string.IsNullOrEmpty(dir))
        {
            return _workDir;
        }

        return Path.IsPathRooted(dir) ? dir : Path.GetFullPath(Path.Combine(_workDir, dir));
    }

    private void Process(string text, string fileName, string baseDir)
    {
        foreach (var (raw, lineNo) in JoinLines(text))
        {
            var loc = new ConfigLocation(fileName, lineNo);
            ProcessLine(raw, loc, baseDir);
        }

        FinalizePending();
    }

    /// <summary>Splits into physical lines and joins lines ending in a backslash (SPEC §2.2).</summary>
    internal static IEnumerable<(string Line, int Number)> JoinLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[count - 1].Length == 0)
        {
            count--; // the newline at the end of the last line
        }

        for (var i = 0; i < count; i++)
        {
            var start = i;
            var line = lines[i];
            while (line.EndsWith('\\'))
            {
                line = line[..^1];
                if (i + 1 >= count)
                {
                    break;
                }

                line += lines[++i];
            }

            yield return (line, start + 1);
        }
    }

    private void ProcessLine(string raw, ConfigLocation loc, string baseDir)
    {
        // A line that is a comment before expansion is never expanded (no helpers run in comments).
        if (IsComment(raw))
        {
            FinalizePending();
            return;
        }

        // Continuation of a multi-line value (SPEC §2.3).
        if (_pending is not null && raw.Length > 0 && char.IsWhiteSpace(raw[0]) && raw.Trim().Length > 0)
        {
            var expandedCont = PostProcess(Expand(raw, loc));
            if (expandedCont.Trim().Length == 0 || IsComment(expandedCont))
            {
                FinalizePending();
                return;
            }

            AppendContinuation(expandedCont);
            return;
        }

        FinalizePending();
        var line = PostProcess(Expand(raw, loc));
        var trimmed = line.Trim();

        // 1, 2: comments (also a line that became "#f..." after expansion) and blank lines.
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return;
        }

        // 3: parser settings.
        var m = SettingsRegex().Match(line);
        if (m.Success)
        {
            ApplySetting(m.Groups[1].Value, m.Groups[2].Value, loc);
            return;
        }

        // 4: include.
        m = IncludeRegex().Match(line);
        if (m.Success)
        {
            Include(m.Groups[1].Value.Trim(), loc, baseDir);
            return;
        }

        // 5: scriptinc.
        m = ScriptIncRegex().Match(line);
        if (m.Success)
        {
            ScriptInc(m.Groups[1].Value.Trim(), loc);
            return;
        }

        // 6: section header.
        m = HeaderRegex().Match(line);
        if (m.Success)
        {
            EnterSection(m.Groups[1].Value, loc);
            return;
        }

        // 7: KEY [system CMD].
        m = SystemKeyRegex().Match(line);
        if (m.Success)
        {
            SystemKey(m.Groups[1].Value, m.Groups[2].Value, loc);
            return;
        }

        // 8: KEY alone.
        m = KeyAloneRegex().Match(line);
        if (m.Success)
        {
            var key = m.Groups[1].Value;
            _data.Set(_section, key, string.Empty, loc);
            if (SectionIsLive() && !key.Contains(':'))
            {
                _env.Set(key, string.Empty);
            }

            _pending = new Pending(_section, key, loc);
            return;
        }

        // 9: KEY VALUE.
        m = KeyValueRegex().Match(line);
        if (m.Success)
        {
            _data.Set(_section, m.Groups[1].Value, m.Groups[2].Value, loc);
            _pending = new Pending(_section, m.Groups[1].Value, loc);
            return;
        }

        // 10/11: an indented line not following a key, or anything else.
        Warn(loc, "problem parsing line, ignored: " + line.Trim());
    }

    private static bool IsComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith('#') && !trimmed.StartsWith("#{", StringComparison.Ordinal);
    }

    private string PostProcess(string line) => _trimTrailing ? line.TrimEnd() : line;

    private void AppendContinuation(string line)
    {
        var pending = _pending!;
        var leading = 0;
        while (leading < line.Length && char.IsWhiteSpace(line[leading]))
        {
            leading++;
        }

        pending.Indent ??= leading;
        var text = line[Math.Min(leading, pending.Indent.Value)..];
        var current = _data.Get(pending.Section, pending.Key) ?? string.Empty;
        _data.Update(pending.Section, pending.Key, current.Length == 0 ? text : current + "\n" + text);
    }

    private void FinalizePending()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        if (pending.Key.Contains(':'))
        {
            return;
        }

        var exportEvaluated =
            (_options.Kind == ConfigKind.MegatestConfig && pending.Section == "env-override") ||
            (_options.Kind == ConfigKind.TestConfig && pending.Section == "pre-launch-env-vars" && _options.AllowShell);
        if (!exportEvaluated)
        {
            return;
        }

        var value = _data.Get(pending.Section, pending.Key) ?? string.Empty;
        _env.Set(pending.Key, _options.AllowShell ? EchoEvaluate(value, pending.Location) : value);
    }

    /// <summary>Passes a value through <c>echo</c> in the shell (SPEC §2.7).</summary>
    private string EchoEvaluate(string value, ConfigLocation loc)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var result = Shell.RunRaw("echo " + value, _env, _workDir, captureOutput: true);
        if (result.ExitCode != 0)
        {
            Warn(loc, $"echo of value '{value}' failed (exit {result.ExitCode}): {result.Stderr.Trim()}; using the value as written");
            return value;
        }

        return Shell.JoinLines(result.Stdout);
    }

    private void ApplySetting(string name, string value, ConfigLocation loc)
    {
        if (name == "trim-trailing-spaces")
        {
            _trimTrailing = value != "no";
        }
        else
        {
            Warn(loc, $"unknown parser setting '{name}', ignored");
        }
    }

    private void Include(string path, ConfigLocation loc, string baseDir)
    {
        path = PathUtil.ExpandTilde(path, _env);
        var full = Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path);
        if (!File.Exists(full))
        {
            Warn(loc, $"include file '{path}' not found, skipped");
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Warn(loc, $"include file '{path}' cannot be read ({ex.Message}), skipped");
            return;
        }

        Nested(text, Path.GetFullPath(full), Path.GetDirectoryName(Path.GetFullPath(full)) ?? baseDir, loc);
    }

    private void ScriptInc(string spec, ConfigLocation loc)
    {
        var parts = spec.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ConfigException(loc.File, loc.Line, "[scriptinc] needs a script to run: [scriptinc SCRIPT ARGS]");
        }

        var script = PathUtil.ExpandTilde(parts[0], _env);
        var args = parts.Length > 1 ? parts[1] : string.Empty;
        var full = Path.IsPathRooted(script) ? script : Path.Combine(_workDir, script);
        if (!ShellAllowed())
        {
            Warn(loc, $"scriptinc '{script}' not run: shell execution is not allowed here");
            return;
        }

        if (!File.Exists(full) || !IsExecutable(full))
        {
            Warn(loc, $"scriptinc '{script}' is not an executable file, skipped");
            return;
        }

        var result = Shell.RunRaw(QuoteForShell(full) + (args.Length > 0 ? " " + args : string.Empty), _env, _workDir, captureOutput: true);
        ReportSlow(result, loc, spec);
        if (result.ExitCode != 0)
        {
            Warn(loc, $"scriptinc '{spec}' exited with {result.ExitCode}: {result.Stderr.Trim()}");
        }

        Nested(result.Stdout, full, _workDir, loc);
    }

    private void Nested(string text, string fileName, string baseDir, ConfigLocation loc)
    {
        if (_depth >= MaxIncludeDepth)
        {
            throw new ConfigException(loc.File, loc.Line, $"includes nested deeper than {MaxIncludeDepth} levels (include loop?)");
        }

        var savedSection = _section;
        var savedLocation = _sectionLocation;
        _depth++;
        try
        {
            Process(text, fileName, baseDir);
        }
        finally
        {
            _depth--;
        }

        if (_section != savedSection)
        {
            LeaveSection();
            _section = savedSection;
            _sectionLocation = savedLocation;
        }
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static string QuoteForShell(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void SystemKey(string key, string command, ConfigLocation loc)
    {
        if (!ShellAllowed())
        {
            return; // dropped when shell execution is not allowed (SPEC §2.1 #7)
        }

        var result = Shell.RunRaw(command, _env, _workDir, captureOutput: true);
        ReportSlow(result, loc, command);
        if (result.ExitCode != 0)
        {
            Warn(loc, $"command '{command}' exited with {result.ExitCode}: {result.Stderr.Trim()}");
        }

        _data.Set(_section, key, Shell.JoinLines(result.Stdout), loc);
    }

    private void EnterSection(string name, ConfigLocation loc)
    {
        LeaveSection();
        _section = name;
        _sectionLocation = loc;
        _namedSections.Add(name);
        _data.EnsureSection(name);
    }

    /// <summary>Runs the end-of-section rules for the current section.</summary>
    private void LeaveSection()
    {
        FinalizePending();
        if (_options.Kind == ConfigKind.MegatestConfig && _section == "fields")
        {
            ExportKeys();
        }
        else if (IsRunConfigsForTarget && IsWildcardSection(_section))
        {
            ApplyWildcardSection(_section, _sectionLocation);
        }
    }

    private void ExportKeys()
    {
        var entries = _data.Entries("fields");
        foreach (var entry in entries)
        {
            if (s_reservedKeys.Contains(entry.Key))
            {
                var where = entry.Location ?? _sectionLocation;
                throw new ConfigException(where.File, where.Line, $"key name '{entry.Key}' in [fields] is reserved and cannot be used");
            }
        }

        var target = _target ?? _env.Get("MT_TARGET");
        if (string.IsNullOrEmpty(target) || entries.Count == 0)
        {
            return;
        }

        var parts = target.Split('/');
        if (parts.Length != entries.Count || parts.Any(p => p.Length == 0))
        {
            Warn(_sectionLocation, $"target '{target}' does not give one value for each key {string.Join('/', entries.Select(e => e.Key))}; keys not exported");
            return;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (!entries[i].Key.Contains(':'))
            {
                _env.Set(entries[i].Key, parts[i]);
            }
        }
    }

    /// <summary>Longest time one /regex/ section pattern may take to match a section name.</summary>
    internal static readonly TimeSpan WildcardMatchTimeout = TimeSpan.FromMilliseconds(250);

    internal static bool IsWildcardSection(string name) =>
        name.Contains('%') || (name.Length >= 2 && name[0] == '/' && name[^1] == '/');

    /// <summary>
    /// A matcher for a wildcard section name: <c>%</c> means any text (full match), <c>/REGEX/</c> is a regular
    /// expression (full match, each match bounded in time).
    /// </summary>
    internal static Func<string, bool> WildcardMatcher(string name)
    {
        if (name.Length >= 2 && name[0] == '/' && name[^1] == '/')
        {
            return new Regex("^(?:" + name[1..^1] + ")$", RegexOptions.CultureInvariant, WildcardMatchTimeout).IsMatch;
        }

        var parts = name.Split('%');
        return text => PercentMatch(parts, text);
    }

    /// <summary>Glob matching with % only: prefix, suffix, and the middle parts found in order (linear, no backtracking).</summary>
    private static bool PercentMatch(string[] parts, string text)
    {
        if (parts.Length == 1)
        {
            return string.Equals(parts[0], text, StringComparison.Ordinal);
        }

        var last = parts[^1];
        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || text.Length - parts[0].Length < last.Length || !text.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        var pos = parts[0].Length;
        var end = text.Length - last.Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = text.IndexOf(parts[i], pos, end - pos, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            pos = at + parts[i].Length;
        }

        return true;
    }

    private Func<string, bool> WildcardMatcherAt(string name, ConfigLocation loc)
    {
        if (_wildcards.TryGetValue(name, out var cached))
        {
            return cached;
        }

        try
        {
            return _wildcards[name] = WildcardMatcher(name);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException(loc.File, loc.Line, $"invalid section pattern [{name}]: {ex.Message}");
        }
    }

    private bool MatchesTarget(string section) =>
        _target is not null && IsWildcardSection(section) && IsMatch(WildcardMatcherAt(section, _sectionLocation), _target, section, _sectionLocation);

    private static bool IsMatch(Func<string, bool> matcher, string input, string pattern, ConfigLocation loc)
    {
        try
        {
            return matcher(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ConfigException(loc.File, loc.Line, $"section pattern [{pattern}] takes too long to match '{(input.Length > 60 ? input[..60] + "…" : input)}' (catastrophic backtracking); simplify the regex");
        }
    }

    private void ApplyWildcardSection(string name, ConfigLocation loc)
    {
        var matcher = WildcardMatcherAt(name, loc);
        var entries = _data.Entries(name).ToList();
        foreach (var section in _data.SectionNames.ToList())
        {
            if (section == name || section == "default" || IsWildcardSection(section) || !IsMatch(matcher, section, name, loc))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                _data.Set(section, entry.Key, entry.Value, entry.Location);
            }
        }

        _data.RemoveSection(name);
    }

    /// <summary>True when the current section is kept and shell may run in it (runconfigs: default, target, matching wildcard).</summary>
    private bool SectionIsLive()
    {
        if (_options.Kind != ConfigKind.RunConfigs)
        {
            return true;
        }

        if (_target is null)
        {
            return false;
        }

        return _section == "default" || _section == _target || MatchesTarget(_section);
    }

    private bool ShellAllowed()
    {
        if (!_options.AllowShell)
        {
            return false;
        }

        return _options.Kind != ConfigKind.RunConfigs || _target is null || SectionIsLive();
    }

    /// <summary>Expands <c>#{…}</c> helpers, right-most first, until none is left (SPEC §2.4).</summary>
    private string Expand(string line, ConfigLocation loc)
    {
        // Each round takes the right-most helper that ends before `end`; helpers to its right are already
        // expanded, so the search never rescans them (except what the replacement itself brought in).
        var end = line.Length;
        for (var round = 0; round < MaxExpansions; round++)
        {
            var m = RightMostHelper(line, end);
            if (m is null)
            {
                return line;
            }

            string keyword;
            string args;
            if (m.Groups[1].Success)
            {
                keyword = m.Groups[1].Value;
                args = m.Groups[2].Value;
            }
            else
            {
                keyword = "mtrah";
                args = string.Empty;
            }

            string replacement;
            try
            {
                replacement = EvaluateHelper(keyword, args, loc);
            }
            catch (ConfigException)
            {
                throw;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException or System.Security.SecurityException)
            {
                Warn(loc, $"helper #{{{keyword} {args}}} failed: {ex.Message}");
                replacement = $"[helper {keyword} {args} failed: {ex.Message}]".Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal);
            }

            line = string.Concat(line.AsSpan(0, m.Index), replacement, line.AsSpan(m.Index + m.Length));
            // The next helper to expand is either left of this one or encloses it, ending at the first '}' after
            // the replacement (arguments hold no braces). A replacement carrying #, { or } may form a new helper
            // anywhere after it: then look at the whole line again.
            var close = line.IndexOf('}', m.Index + replacement.Length);
            end = replacement.AsSpan().IndexOfAny('#', '{', '}') >= 0 || close < 0 ? line.Length : close + 1;
            if (line.Length > MaxExpandedLine)
            {
                throw new ConfigException(loc.File, loc.Line, $"#{{...}} expansion grows the line beyond {MaxExpandedLine} characters");
            }
        }

        throw new ConfigException(loc.File, loc.Line, "#{...} expansion does not terminate");
    }

    private string EvaluateHelper(string keyword, string args, ConfigLocation loc)
    {
        var arg = args.Trim();
        switch (keyword)
        {
            case "getenv":
            case "gv":
                return _env.Get(arg) ?? "#f";
            case "get":
            case "g":
            {
                var parts = arg.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 ? _data.Get(parts[0], parts[1].Trim()) ?? "#f" : "#f";
            }

            case "rget":
            case "runconfigs-get":
            {
                // VAR or !VAR (a runconfigs variable kept out of the environment), here or in the area's runconfigs.
                var target = _target ?? _env.Get("MT_TARGET");
                return RunVar(_data, target, arg) ?? (_options.RunConfigs is { } rc ? RunVar(rc, target, arg) : null) ?? "#f";
            }

            case "shell":
            case "sh":
            {
                if (!ShellAllowed())
                {
                    return "#{(shell) " + args + "}";
                }

                var result = Shell.RunRaw(arg, _env, _workDir, captureOutput: true);
                ReportSlow(result, loc, arg);
                if (result.ExitCode != 0)
                {
                    Warn(loc, $"shell command '{arg}' failed (exit {result.ExitCode}): {result.Stderr.Trim()}");
                    return string.Empty;
                }

                return Shell.JoinLines(result.Stdout);
            }

            case "system":
            {
                if (!ShellAllowed())
                {
                    return "#{(system) " + args + "}";
                }

                var result = Shell.RunRaw(arg, _env, _workDir, captureOutput: false);
                ReportSlow(result, loc, arg);
                return result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            case "scheme":
            case "scm":
                throw new ConfigException(loc.File, loc.Line, $"scheme helpers are not supported: #{{{keyword} {arg}}}");
            case "rp":
            case "realpath":
            {
                var path = PathUtil.ExpandTilde(arg, _env);
                var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_workDir, path));
                return full.Length > 1 ? full.TrimEnd('/') : full;
            }

            case "mtrah":
            {
                var home = _options.AreaHome ?? _env.Get("MT_RUN_AREA_HOME");
                if (home is null)
                {
                    return "#f";
                }

                return arg.Length == 0 ? home : home.TrimEnd('/') + "/" + arg;
            }

            default:
                return "#f";
        }
    }

    private void ReportSlow(ShellResult result, ConfigLocation loc, string command)
    {
        if (result.Elapsed > s_slowCommand)
        {
            Warn(loc, $"command '{command}' took {result.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static string? RunVar(ConfigData data, string? target, string name) =>
        (target is not null ? data.Get(target, name) ?? data.Get(target, "!" + name) : null)
        ?? data.Get("default", name) ?? data.Get("default", "!" + name);

    private void Warn(ConfigLocation loc, string message) => _data.AddWarning($"{loc.File}:{loc.Line}: {message}");

    /// <summary>
    /// The helper with the right-most start that ends at or before <paramref name="end"/>. Each candidate "#{" is
    /// matched left to right from where it stands (arguments hold no braces, so helpers never overlap), which keeps
    /// the cost linear in the line's length.
    /// </summary>
    private static Match? RightMostHelper(string line, int end)
    {
        var from = end - 1;
        while (from >= 0)
        {
            var start = line.LastIndexOf("#{", from, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            var m = HelperAtRegex().Match(line, start);
            if (m.Success && m.Index + m.Length <= end)
            {
                return m;
            }

            from = start - 1;
        }

        return null;
    }

    [GeneratedRegex(@"\G#\{(?:(scheme|scm|system|shell|sh|getenv|gv|get|g|runconfigs-get|rget|rp|realpath|mtrah)\s+([^{}]*)|mtrah\s*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex HelperAtRegex();

    [GeneratedRegex(@"^\[configf:settings\s+(\S+)\s+(\S+)\s*\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingsRegex();

    [GeneratedRegex(@"^\[include\s+(.+)\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex IncludeRegex();

    [GeneratedRegex(@"^\[scriptinc\s+(.+)\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptIncRegex();

    [GeneratedRegex(@"^\[(.*)\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@"^(\S+)\s+\[system\s+(.+)\]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SystemKeyRegex();

    [GeneratedRegex(@"^(\S+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyAloneRegex();

    [GeneratedRegex(@"^(\S+)\s+(.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex KeyValueRegex();

    /// <summary>A key whose value may still grow with continuation lines.</summary>
    private sealed class Pending(string section, string key, ConfigLocation location)
    {
        public string Section { get; } = section;

        public string Key { get; } = key;

        public ConfigLocation Location { get; } = location;

        public int? Indent { get; set; }
    }
}
