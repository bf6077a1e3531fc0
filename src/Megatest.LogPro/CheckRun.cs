using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Megatest.LogPro;

/// <summary>The state of one pass of a <see cref="LogChecker"/> over a log.</summary>
internal sealed class CheckRun
{
    private const int InitialBuffer = 1 << 16;

    private readonly LogChecker _checker;
    private readonly RuleSet _set;
    private readonly TriggerDef[] _triggers;
    private readonly ExpectRule[] _rules;
    private readonly bool[] _expired;
    private readonly TextWriter? _annotated;
    private readonly string? _htmlPath;
    private readonly HtmlReport? _html;
    private readonly bool[] _active;
    private readonly int[] _triggerHits;
    private readonly long[] _counts;
    private readonly long[] _valuePass;
    private readonly long[] _valueFail;
    private readonly string?[] _firstBadValue;
    private readonly string?[] _lastValue;
    private readonly List<long>[] _ruleLines;
    private readonly List<long>[] _triggerLines;
    private readonly HashSet<string> _oneTimeHooksRun = [];
    private readonly bool _needText;
    private bool _firstErrorDone;
    private bool _firstWarningDone;
    private long _lineNo;

    public CheckRun(LogChecker checker, TextWriter? annotated, string? htmlPath)
    {
        _checker = checker;
        _set = checker.Rules;
        _triggers = [.. _set.Triggers];
        _rules = [.. _set.Rules];
        _expired = checker.Expired;
        _annotated = annotated;
        _htmlPath = htmlPath;
        _active = new bool[_set.Sections.Count];
        _active[0] = true;
        _triggerHits = new int[_triggers.Length];
        _counts = new long[_rules.Length];
        _valuePass = new long[_rules.Length];
        _valueFail = new long[_rules.Length];
        _firstBadValue = new string?[_rules.Length];
        _lastValue = new string?[_rules.Length];
        _ruleLines = _rules.Select(_ => new List<long>()).ToArray();
        _triggerLines = _triggers.Select(_ => new List<long>()).ToArray();
        _needText = _set.FirstErrorHooks.Count > 0 || _set.FirstWarningHooks.Count > 0 || _set.ValueHooks.Count > 0 || _set.Hooks.Count > 0;
        if (htmlPath is not null)
        {
            _html = new HtmlReport(htmlPath, Path.GetFileName(_set.FileName));
        }
    }

    public CheckResult Execute(TextReader input)
    {
        try
        {
            Scan(input);
            return Finish();
        }
        finally
        {
            _html?.Dispose();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scan(TextReader input)
    {
        var buffer = new char[InitialBuffer];
        var filled = 0;
        var eof = false;
        var prefilter = _checker.Prefilter;
        while (true)
        {
            if (!eof && filled < buffer.Length)
            {
                var n = input.Read(buffer, filled, buffer.Length - filled);
                if (n == 0)
                {
                    eof = true;
                }

                filled += n;
            }

            var span = buffer.AsSpan(0, filled);
            var lastNl = span.LastIndexOf('\n');
            if (lastNl < 0)
            {
                if (eof)
                {
                    if (filled > 0)
                    {
                        ProcessLine(span);
                    }

                    return;
                }

                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // one line longer than the buffer
                }

                continue;
            }

            var complete = span[..(lastNl + 1)];
            var pos = 0;
            while (pos < complete.Length)
            {
                var rest = complete[pos..];
                if (prefilter is not null)
                {
                    var hit = rest.IndexOfAny(prefilter);
                    if (hit < 0)
                    {
                        Bulk(rest);
                        break;
                    }

                    var lineStart = rest[..hit].LastIndexOf('\n') + 1;
                    if (lineStart > 0)
                    {
                        Bulk(rest[..lineStart]);
                        rest = rest[lineStart..];
                        pos += lineStart;
                    }
                }

                var nl = rest.IndexOf('\n');
                ProcessLine(rest[..nl]);
                pos += nl + 1;
            }

            var remaining = filled - (lastNl + 1);
            Array.Copy(buffer, lastNl + 1, buffer, 0, remaining);
            filled = remaining;
            if (eof && filled == 0)
            {
                return;
            }
        }
    }

    /// <summary>Whole lines that no pattern can match: echo and count only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bulk(ReadOnlySpan<char> text)
    {
        _lineNo += text.Count('\n');
        _annotated?.Write(text);
        _html?.WriteText(text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessLine(ReadOnlySpan<char> raw)
    {
        _lineNo++;
        var line = raw.Length > 0 && raw[^1] == '\r' ? raw[..^1] : raw;
        string? text = null;

        // 1. Triggers.
        List<int>? fired = null;
        for (var t = 0; t < _triggers.Length; t++)
        {
            var trig = _triggers[t];
            if (_triggerHits[t] < trig.Limit && trig.Pattern.IsMatch(line))
            {
                _triggerHits[t]++;
                if (_triggerLines[t].Count < RuleReport.MaxLinks)
                {
                    _triggerLines[t].Add(_lineNo);
                }

                (fired ??= []).Add(t);
                for (var s = 1; s < _active.Length; s++)
                {
                    var sec = _set.Sections[s];
                    if (_active[s] && sec.EndTrigger == t)
                    {
                        _active[s] = false;
                    }
                    else if (!_active[s] && sec.StartTrigger == t)
                    {
                        _active[s] = true;
                    }
                }
            }
        }

        // 2./3. The earliest-defined applicable rule whose pattern matches is credited.
        var credited = -1;
        for (var r = 0; r < _rules.Length; r++)
        {
            if (_expired[r])
            {
                continue;
            }

            var rule = _rules[r];
            var inSection = false;
            foreach (var s in rule.SectionIds)
            {
                if (_active[s])
                {
                    inSection = true;
                    break;
                }
            }

            if (inSection == rule.Inverse || !rule.Pattern.IsMatch(line))
            {
                continue;
            }

            credited = r;
            break;
        }

        if (credited >= 0)
        {
            var rule = _rules[credited];
            _counts[credited]++;
            if (_ruleLines[credited].Count < RuleReport.MaxLinks)
            {
                _ruleLines[credited].Add(_lineNo);
            }

            if (rule.IsValue || _needText)
            {
                text = line.ToString();
                Credit(credited, rule, text);
            }
        }

        // 4. Echo.
        if (_annotated is not null)
        {
            _annotated.Write(raw);
            _annotated.Write('\n');

            if (fired is not null)
            {
                foreach (var t in fired)
                {
                    _annotated.Write($"  >>> trigger \"{_triggers[t].Name}\" fired (rule-{_triggers[t].Index})\n");
                }
            }

            if (credited >= 0 && _rules[credited].Type is not ("ignore" or "note"))
            {
                var rule = _rules[credited];
                _annotated.Write($"  >>> rule-{rule.Index} expect:{rule.Type} \"{rule.Description}\"\n");
            }
        }

        if (_html is not null)
        {
            if (credited >= 0)
            {
                var rule = _rules[credited];
                _html.WriteMarkedLine(line, _lineNo, rule.CssClass ?? rule.Type, $"rule-{rule.Index} expect:{rule.Type}: {rule.Description}");
            }
            else if (fired is not null)
            {
                _html.WriteMarkedLine(line, _lineNo, "trigger", "trigger " + string.Join(", ", fired.Select(t => _triggers[t].Name)));
            }
            else
            {
                _html.WriteText(line);
                _html.WriteText("\n");
            }
        }
    }

    private void Credit(int r, ExpectRule rule, string text)
    {
        Match? match = null;
        if (rule.IsValue)
        {
            match = rule.Pattern.Match(text);
            var group = match is not null && rule.MatchGroup < match.Groups.Count ? match.Groups[rule.MatchGroup] : null;
            var measuredText = group is { Success: true } ? group.Value.Trim() : "";
            var ok = double.TryParse(measuredText, NumberStyles.Float, CultureInfo.InvariantCulture, out var measured)
                && (rule.Tolerance is { } tol
                    ? Math.Abs(measured - rule.Expected) <= tol + (1e-12 * Math.Max(1, Math.Abs(rule.Expected)))
                    : ExpectRule.Compare(measured, rule.Operator, rule.Expected));
            if (measuredText.Length == 0)
            {
                measuredText = "(none)";
            }

            _lastValue[r] = measuredText;
            if (ok)
            {
                _valuePass[r]++;
            }
            else
            {
                _valueFail[r]++;
                _firstBadValue[r] ??= measuredText;
            }

            foreach (var cmd in _set.ValueHooks)
            {
                var message = $"{rule.Description}: {(ok ? "PASS" : "FAIL")} measured {measuredText}, expected {ValueCondition(rule)}";
                HookRunner.Run(HookRunner.Expand(cmd, new Dictionary<string, string>
                {
                    ["expected"] = rule.ExpectedText,
                    ["measured"] = measuredText,
                    ["tolerance"] = rule.Tolerance?.ToString(CultureInfo.InvariantCulture) ?? rule.Operator,
                    ["message"] = message,
                }));
            }
        }

        if (rule.Category == RuleCategory.Error && rule.Type is "error" && !_firstErrorDone && _set.FirstErrorHooks.Count > 0)
        {
            _firstErrorDone = true;
            foreach (var cmd in _set.FirstErrorHooks)
            {
                HookRunner.Run(HookRunner.Expand(cmd, new Dictionary<string, string> { ["errmsg"] = text }));
            }
        }

        if (rule.Category == RuleCategory.Warning && rule.Type is "warning" && !_firstWarningDone && _set.FirstWarningHooks.Count > 0)
        {
            _firstWarningDone = true;
            foreach (var cmd in _set.FirstWarningHooks)
            {
                HookRunner.Run(HookRunner.Expand(cmd, new Dictionary<string, string> { ["warnmsg"] = text }));
            }
        }

        if (rule.HookName is { } name && _set.Hooks.TryGetValue(name, out var hook) && !(hook.OneTime && _oneTimeHooksRun.Contains(name)))
        {
            _oneTimeHooksRun.Add(name);
            match ??= rule.Pattern.Match(text);
            var vars = new Dictionary<string, string>
            {
                ["line"] = text,
                ["msg"] = rule.Description,
                ["linenum"] = _lineNo.ToString(CultureInfo.InvariantCulture),
            };
            if (match is not null)
            {
                for (var g = 0; g < match.Groups.Count; g++)
                {
                    vars["m" + g.ToString(CultureInfo.InvariantCulture)] = match.Groups[g].Value;
                }
            }

            HookRunner.Run(HookRunner.Expand(hook.Command, vars));
        }
    }

    private static string ValueCondition(ExpectRule rule) => rule.Tolerance is { } tol
        ? $"{rule.ExpectedText} +/- {tol.ToString(CultureInfo.InvariantCulture)}"
        : $"{rule.Operator} {rule.ExpectedText}";

    private CheckResult Finish()
    {
        var reports = new List<RuleReport>(_triggers.Length + _rules.Length);
        for (var t = 0; t < _triggers.Length; t++)
        {
            var trig = _triggers[t];
            var hits = _triggerHits[t];
            var passed = hits > 0 || !trig.Required;
            reports.Add(new RuleReport
            {
                Outcome = new RuleOutcome(trig.Index, "trigger", "trigger " + trig.Name, "", ">", "0", hits.ToString(CultureInfo.InvariantCulture),
                    "", passed),
                Where = "",
                AffectsResult = trig.Required,
                Count = hits,
                CssClass = "trigger",
                Message = passed ? "" : $"trigger \"{trig.Name}\" never fired (rule-{trig.Index})",
                Lines = _triggerLines[t],
            });
        }

        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            var count = _counts[r];
            var section = string.Join(",", rule.SectionNames);
            bool passed;
            string measured;
            string message;
            if (_expired[r])
            {
                passed = true;
                measured = "";
                message = "";
            }
            else if (rule.IsValue)
            {
                passed = _valuePass[r] > 0 && _valueFail[r] == 0;
                measured = _firstBadValue[r] ?? _lastValue[r] ?? "";
                message = passed ? "" : count == 0
                    ? $"{rule.Description}: no value found (expected {ValueCondition(rule)}) (rule-{rule.Index})"
                    : $"{rule.Description}: measured {measured}, expected {ValueCondition(rule)} (rule-{rule.Index})";
            }
            else
            {
                passed = rule.CountPasses(count);
                measured = count.ToString(CultureInfo.InvariantCulture);
                message = passed ? "" : $"{rule.Description}: expected count {rule.Operator} {rule.ExpectedText}, got {count} (rule-{rule.Index} expect:{rule.Type})";
            }

            reports.Add(new RuleReport
            {
                Outcome = new RuleOutcome(
                    rule.Index,
                    rule.Type,
                    rule.Description,
                    section,
                    rule.IsValue && rule.Tolerance is not null ? "=" : rule.Operator,
                    rule.ExpectedText,
                    measured,
                    rule.Tolerance?.ToString(CultureInfo.InvariantCulture) ?? "",
                    passed),
                Where = rule.Inverse ? "not-in" : "in",
                AffectsResult = rule.Category != RuleCategory.None,
                Count = count,
                PassCount = _valuePass[r],
                FailCount = _valueFail[r],
                IsValue = rule.IsValue,
                Expired = _expired[r],
                CssClass = rule.CssClass ?? rule.Type,
                Message = message,
                Lines = _ruleLines[r],
            });
        }

        reports.Sort((a, b) => a.Outcome.Index.CompareTo(b.Outcome.Index));

        var failing = new List<(RuleCategory Category, int Index, string Message)>();
        foreach (var rep in reports)
        {
            if (rep.Outcome.Passed)
            {
                continue;
            }

            // Failed ignore/note rules (category None) get a message too, listed last; they never set the status.
            var category = rep.Outcome.Type == "trigger"
                ? (rep.AffectsResult ? RuleCategory.Error : RuleCategory.None)
                : _rules.First(x => x.Index == rep.Outcome.Index).Category;
            failing.Add((category, rep.Outcome.Index, rep.Message));
        }

        var worst = failing.Count == 0 ? RuleCategory.None : failing.Min(f => f.Category);
        var exitCode = worst switch
        {
            RuleCategory.Skip => 6,
            RuleCategory.Abort => 5,
            RuleCategory.Check => 3,
            RuleCategory.Error => 1,
            RuleCategory.Warning => 2,
            RuleCategory.Waive => 4,
            _ => 0,
        };
        var messages = failing.OrderBy(f => f.Category).ThenBy(f => f.Index).Select(f => f.Message).ToList();
        var result = new CheckResult(exitCode, reports.Select(r => r.Outcome).ToList(), messages);

        _annotated?.Write($"logpro: {result.Status} (exit code {exitCode})\n");
        foreach (var m in messages)
        {
            _annotated?.Write($"logpro:   {m}\n");
        }

        _annotated?.Flush();
        if (_html is not null && _htmlPath is not null)
        {
            _html.Finish(exitCode, result.Status, reports, messages);
            DatFile.Write(DatFile.PathFor(_htmlPath), exitCode, result.Status, reports, messages);
        }

        return result;
    }
}
