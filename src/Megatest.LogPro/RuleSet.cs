using System.Globalization;

namespace Megatest.LogPro;

/// <summary>A parsed logpro rule file: triggers, sections, expect rules and hooks, in definition order.</summary>
public sealed class RuleSet
{
    /// <summary>The name of the built-in section that covers the whole log.</summary>
    public const string LogFileBody = "LogFileBody";

    private static readonly HashSet<string> s_operators = ["=", ">", "<", ">=", "<=", "!="];

    private readonly List<TriggerDef> _triggers = [];
    private readonly List<SectionDef> _sections = [new SectionDef(LogFileBody, -1, -1)];
    private readonly List<ExpectRule> _rules = [];
    private readonly Dictionary<string, HookDef> _hooks = new(StringComparer.Ordinal);
    private readonly List<string> _firstErrorHooks = [];
    private readonly List<string> _firstWarningHooks = [];
    private readonly List<string> _valueHooks = [];
    private readonly List<(SExpr Form, string Name, string Start, string? End)> _pendingSections = [];
    private readonly string _fileName;
    private int _nextIndex = 1;

    private RuleSet(string fileName)
    {
        _fileName = fileName;
    }

    /// <summary>The rule file's name as given to <see cref="Parse"/>.</summary>
    public string FileName => _fileName;

    internal IReadOnlyList<TriggerDef> Triggers => _triggers;

    /// <summary>Sections; index 0 is the built-in LogFileBody.</summary>
    internal IReadOnlyList<SectionDef> Sections => _sections;

    internal IReadOnlyList<ExpectRule> Rules => _rules;

    internal IReadOnlyDictionary<string, HookDef> Hooks => _hooks;

    internal IReadOnlyList<string> FirstErrorHooks => _firstErrorHooks;

    internal IReadOnlyList<string> FirstWarningHooks => _firstWarningHooks;

    internal IReadOnlyList<string> ValueHooks => _valueHooks;

    /// <summary>Total number of triggers and expect rules (the rule-N numbering).</summary>
    internal int OutcomeCount => _nextIndex - 1;

    /// <summary>Parses rule text. Throws <see cref="LogProSyntaxException"/> naming the file and line on any error.</summary>
    public static RuleSet Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var set = new RuleSet(fileName);
        var forms = new SExprReader(text, fileName).ReadAll();
        foreach (var form in forms)
        {
            set.Evaluate(form);
        }

        set.Resolve();
        return set;
    }

    /// <summary>Reads the rule file at <paramref name="path"/> and parses it.</summary>
    public static RuleSet Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogProSyntaxException(path, 0, "cannot read rule file: " + ex.Message);
        }

        return Parse(text, path);
    }

    private LogProSyntaxException Error(SExpr at, string what) => new(_fileName, at.Line, what);

    private void Evaluate(SExpr form)
    {
        if (form.Kind != SExprKind.List)
        {
            throw Error(form, $"unexpected '{form}' at top level; expected a rule form such as (expect:error ...)");
        }

        if (form.Items.Count == 0 || form.Items[0].Kind != SExprKind.Symbol)
        {
            throw Error(form, $"unexpected form '{Short(form)}'; expected a rule form such as (expect:error ...)");
        }

        var head = form.Items[0].Text;
        switch (head)
        {
            case "trigger":
                AddTrigger(form, 1, required: true, firstPattern: 2);
                break;
            case "trigger:non-required":
                AddTrigger(form, 1, required: false, firstPattern: 2);
                break;
            case "trigger-with-limit":
            {
                var n = Arg(form, 2, "limit");
                if (n.Kind != SExprKind.Number || n.Number < 1 || n.Number != Math.Floor(n.Number))
                {
                    throw Error(n, "trigger-with-limit: the limit must be a positive whole number");
                }

                AddTrigger(form, (int)n.Number, required: true, firstPattern: 3);
                break;
            }

            case "section":
                AddSection(form);
                break;
            case "hook:first-error":
                _firstErrorHooks.Add(HookCommand(form));
                break;
            case "hook:first-warning":
                _firstWarningHooks.Add(HookCommand(form));
                break;
            case "hook:value":
                _valueHooks.Add(HookCommand(form));
                break;
            case "hook:add":
                AddHook(form);
                break;
            case "expect":
                AddExpect(form, "error");
                break;
            default:
                if (head.StartsWith("expect:", StringComparison.Ordinal))
                {
                    AddExpect(form, head["expect:".Length..]);
                    break;
                }

                throw Error(form, $"unsupported form '({head} ...)': only logpro rule forms (trigger, section, expect:..., hook:...) are supported; general Scheme such as define or for-each is not");
        }
    }

    private static string Short(SExpr form)
    {
        var s = form.ToString();
        return s.Length > 60 ? s[..57] + "..." : s;
    }

    private SExpr Arg(SExpr form, int i, string what)
    {
        if (i >= form.Items.Count)
        {
            throw Error(form, $"({form.Items[0].Text} ...): missing {what}");
        }

        return form.Items[i];
    }

    private string StringArg(SExpr form, int i, string what)
    {
        var a = Arg(form, i, what);
        if (a.Kind is not (SExprKind.String or SExprKind.Symbol))
        {
            throw Error(a, $"({form.Items[0].Text} ...): {what} must be a string, got {a}");
        }

        return a.Text;
    }

    private void AddTrigger(SExpr form, int limit, bool required, int firstPattern)
    {
        var name = StringArg(form, 1, "trigger name");
        if (_triggers.Any(t => t.Name == name))
        {
            throw Error(form, $"trigger \"{name}\" is defined twice");
        }

        var sources = new List<SExpr>();
        for (var i = firstPattern; i < form.Items.Count; i++)
        {
            CollectPatterns(form.Items[i], sources);
        }

        if (sources.Count == 0)
        {
            throw Error(form, $"trigger \"{name}\" has no pattern");
        }

        _triggers.Add(new TriggerDef(_nextIndex++, name, limit, required, new PatternSet(sources, Error), form.Line));
    }

    private void AddSection(SExpr form)
    {
        var name = StringArg(form, 1, "section name");
        var start = StringArg(form, 2, "start trigger");
        var end = form.Items.Count > 3 ? StringArg(form, 3, "end trigger") : null;
        if (form.Items.Count > 4)
        {
            throw Error(form, "(section NAME START-TRIGGER END-TRIGGER): too many arguments");
        }

        if (_sections.Any(s => s.Name == name))
        {
            throw Error(form, $"section \"{name}\" is defined twice");
        }

        // Trigger names are resolved at the end: sections may name triggers defined later.
        _pendingSections.Add((form, name, start, end));
        _sections.Add(new SectionDef(name, -1, -1));
    }

    private string HookCommand(SExpr form)
    {
        if (form.Items.Count != 2)
        {
            throw Error(form, $"({form.Items[0].Text} \"COMMAND\") takes exactly one string");
        }

        var cmd = Arg(form, 1, "command");
        if (cmd.Kind != SExprKind.String)
        {
            throw Error(cmd, $"({form.Items[0].Text} ...): the command must be a string");
        }

        return cmd.Text;
    }

    private void AddHook(SExpr form)
    {
        var name = StringArg(form, 1, "hook name");
        var cmd = Arg(form, 2, "command");
        if (cmd.Kind != SExprKind.String)
        {
            throw Error(cmd, "(hook:add NAME COMMAND ...): the command must be a string");
        }

        var oneTime = false;
        for (var i = 3; i < form.Items.Count; i += 2)
        {
            var key = form.Items[i];
            if (!key.IsSymbol("one-time:") || i + 1 >= form.Items.Count || form.Items[i + 1].Kind != SExprKind.Boolean)
            {
                throw Error(key, $"(hook:add ...): unexpected '{key}'; only 'one-time: #t|#f' is allowed after the command");
            }

            oneTime = form.Items[i + 1].Flag;
        }

        _hooks[name] = new HookDef(name, cmd.Text, oneTime);
    }

    private void CollectPatterns(SExpr e, List<SExpr> into)
    {
        switch (e.Kind)
        {
            case SExprKind.Regex:
                into.Add(e);
                return;
            case SExprKind.String:
                into.Add(SExpr.Regex(e.Line, e.Text, ""));
                return;
            case SExprKind.List when e.IsForm("list"):
                foreach (var item in e.Items.Skip(1))
                {
                    CollectPatterns(item, into);
                }

                return;
            case SExprKind.List when e.IsForm("quote") && e.Items.Count == 2 && e.Items[1].Kind == SExprKind.List:
                foreach (var item in e.Items[1].Items)
                {
                    CollectPatterns(item, into);
                }

                return;
            case SExprKind.List when (e.IsForm("regexp") || e.IsForm("irregex")) && e.Items.Count is 2 or 3 && e.Items[1].Kind == SExprKind.String:
                var ci = e.Items.Count == 3 && (e.Items[2].Kind == SExprKind.Boolean ? e.Items[2].Flag : e.Items[2].IsSymbol("'i"));
                into.Add(SExpr.Regex(e.Line, e.Items[1].Text, ci ? "i" : ""));
                return;
            default:
                throw Error(e, $"expected a pattern (#/regex/ or (list #/a/ #/b/ ...)), got '{Short(e)}'");
        }
    }

    private List<string> SectionList(SExpr e)
    {
        switch (e.Kind)
        {
            case SExprKind.String:
                return [e.Text];
            case SExprKind.Symbol when e.Text == "logfile":
                return [LogFileBody];
            case SExprKind.List when e.IsForm("list"):
                return e.Items.Skip(1).SelectMany(SectionList).ToList();
            case SExprKind.List when e.IsForm("quote") && e.Items.Count == 2 && e.Items[1].Kind == SExprKind.List:
                return e.Items[1].Items.Select(i => i.Kind is SExprKind.String or SExprKind.Symbol
                    ? (i.Text == "logfile" ? LogFileBody : i.Text)
                    : throw Error(i, $"expected a section name, got '{i}'")).ToList();
            default:
                throw Error(e, $"expected a section name, logfile or (list \"A\" \"B\"), got '{Short(e)}'");
        }
    }

    private void AddExpect(SExpr form, string rawType)
    {
        var (type, category) = rawType switch
        {
            "required" => ("required", RuleCategory.Error),
            "error" => ("error", RuleCategory.Error),
            "warning" or "warn" => ("warning", RuleCategory.Warning),
            "ignore" => ("ignore", RuleCategory.None),
            "waive" or "waived" or "waiver" => ("waive", RuleCategory.Waive),
            "check" => ("check", RuleCategory.Check),
            "abort" => ("abort", RuleCategory.Abort),
            "skip" => ("skip", RuleCategory.Skip),
            "note" => ("note", RuleCategory.None),
            "required-warn" => ("required-warn", RuleCategory.Warning),
            "value" => ("value", RuleCategory.Error),
            _ => throw Error(form, $"unknown rule type 'expect:{rawType}'"),
        };
        var head = form.Items[0].Text;
        var where = Arg(form, 1, "'in' or 'not-in'");
        bool inverse;
        if (where.Kind is SExprKind.Symbol or SExprKind.String && where.Text is "in" or "not-in")
        {
            inverse = where.Text == "not-in";
        }
        else
        {
            throw Error(where, $"({head} ...): expected 'in' or 'not-in', got '{where}'");
        }

        var sections = SectionList(Arg(form, 2, "section"));
        var a3 = Arg(form, 3, type == "value" ? "expected value" : "operator");
        var a4 = Arg(form, 4, type == "value" ? "tolerance" : "count");
        var desc = Arg(form, 5, "description");
        if (desc.Kind != SExprKind.String)
        {
            throw Error(desc, $"({head} ...): the description must be a string, got '{desc}'");
        }

        var sources = new List<SExpr>();
        CollectPatterns(Arg(form, 6, "pattern"), sources);

        string op;
        double expected;
        string expectedText;
        double? tolerance = null;
        if (type == "value")
        {
            if (a3.Kind != SExprKind.Number)
            {
                throw Error(a3, $"({head} ...): the expected value must be a number, got '{a3}'");
            }

            expected = a3.Number;
            expectedText = a3.Text;
            if (a4.Kind == SExprKind.Number)
            {
                op = "+/-";
                tolerance = Math.Abs(a4.Number);
            }
            else if (a4.Kind == SExprKind.Symbol && s_operators.Contains(a4.Text))
            {
                op = a4.Text;
            }
            else
            {
                throw Error(a4, $"({head} ...): the tolerance must be a number or one of = < > <= >=, got '{a4}'");
            }
        }
        else
        {
            if (a3.Kind != SExprKind.Symbol || !s_operators.Contains(a3.Text))
            {
                throw Error(a3, $"({head} ...): the operator must be one of = > < >= <=, got '{a3}'");
            }

            if (a4.Kind != SExprKind.Number)
            {
                throw Error(a4, $"({head} ...): the count must be a number, got '{a4}'");
            }

            op = a3.Text;
            expected = a4.Number;
            expectedText = a4.Text;
        }

        DateTime? expires = null;
        string? hook = null;
        string? css = null;
        var match = 1;
        for (var i = 7; i < form.Items.Count; i += 2)
        {
            var key = form.Items[i];
            if (key.Kind != SExprKind.Symbol || !key.Text.EndsWith(':'))
            {
                throw Error(key, $"({head} ...): unexpected '{Short(key)}' after the pattern; expected a keyword such as expires:, hook:, class:");
            }

            if (i + 1 >= form.Items.Count)
            {
                throw Error(key, $"({head} ...): keyword {key.Text} has no value");
            }

            var value = form.Items[i + 1];
            switch (key.Text)
            {
                case "expires:":
                    if (value.Kind != SExprKind.String || !DateTime.TryParseExact(value.Text, ["M/d/yyyy", "MM/dd/yyyy", "yyyy-MM-dd"],
                            CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        throw Error(value, $"({head} ...): expires: needs a date \"MM/DD/YYYY\", got '{value}'");
                    }

                    expires = date;
                    break;
                case "hook:":
                    if (value.Kind is not (SExprKind.String or SExprKind.Symbol))
                    {
                        throw Error(value, $"({head} ...): hook: needs a hook name");
                    }

                    hook = value.Text;
                    break;
                case "class:":
                    if (value.Kind is not (SExprKind.String or SExprKind.Symbol))
                    {
                        throw Error(value, $"({head} ...): class: needs a name");
                    }

                    css = value.Text;
                    break;
                case "match:" when type == "value":
                    if (value.Kind != SExprKind.Number || value.Number < 0 || value.Number != Math.Floor(value.Number))
                    {
                        throw Error(value, $"({head} ...): match: needs a group number");
                    }

                    match = (int)value.Number;
                    break;
                default:
                    throw Error(key, $"({head} ...): unknown keyword '{key.Text}'");
            }
        }

        var pattern = new PatternSet(sources, Error);
        _rules.Add(new ExpectRule
        {
            Index = _nextIndex++,
            Type = type,
            Category = category,
            Inverse = inverse,
            SectionNames = sections,
            Operator = op,
            Expected = expected,
            ExpectedText = expectedText,
            Tolerance = tolerance,
            MatchGroup = match,
            Description = desc.Text,
            Pattern = pattern,
            Expires = expires,
            HookName = hook,
            CssClass = css,
            Line = form.Line,
        });
    }

    private void Resolve()
    {
        foreach (var (form, name, start, end) in _pendingSections)
        {
            var startId = _triggers.FindIndex(t => t.Name == start);
            if (startId < 0)
            {
                throw Error(form, $"section \"{name}\": start trigger \"{start}\" is not defined");
            }

            // An end trigger that is not defined simply never closes the section.
            var endId = end is null ? -1 : _triggers.FindIndex(t => t.Name == end);
            var idx = _sections.FindIndex(s => s.Name == name);
            _sections[idx] = new SectionDef(name, startId, endId);
        }

        foreach (var rule in _rules)
        {
            var ids = new int[rule.SectionNames.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = _sections.FindIndex(s => s.Name == rule.SectionNames[i]);
                if (ids[i] < 0)
                {
                    throw new LogProSyntaxException(_fileName, rule.Line, $"section \"{rule.SectionNames[i]}\" is not defined");
                }
            }

            rule.SectionIds = ids;
            if (rule.HookName is not null && !_hooks.ContainsKey(rule.HookName))
            {
                throw new LogProSyntaxException(_fileName, rule.Line, $"hook \"{rule.HookName}\" is not defined (use (hook:add \"{rule.HookName}\" \"COMMAND\"))");
            }
        }
    }
}
