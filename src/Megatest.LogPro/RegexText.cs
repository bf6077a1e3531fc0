using System.Text;

namespace Megatest.LogPro;

/// <summary>Helpers over regular-expression source: POSIX class translation and required-literal extraction.</summary>
internal static class RegexText
{
    private static readonly (string Posix, string Net)[] s_posixClasses =
    [
        ("[:alpha:]", "a-zA-Z"),
        ("[:digit:]", "0-9"),
        ("[:alnum:]", "a-zA-Z0-9"),
        ("[:upper:]", "A-Z"),
        ("[:lower:]", "a-z"),
        ("[:space:]", @"\s"),
        ("[:blank:]", @" \t"),
        ("[:xdigit:]", "0-9A-Fa-f"),
        ("[:word:]", @"\w"),
        ("[:punct:]", @"!-/:-@\[-`{-~"),
        ("[:cntrl:]", @"\x00-\x1f\x7f"),
        ("[:print:]", @"\x20-\x7e"),
        ("[:graph:]", @"\x21-\x7e"),
    ];

    /// <summary>Rewrites POSIX bracket classes such as [[:digit:]] into .NET syntax.</summary>
    public static string TranslatePosix(string pattern)
    {
        if (!pattern.Contains("[:", StringComparison.Ordinal))
        {
            return pattern;
        }

        foreach (var (posix, net) in s_posixClasses)
        {
            pattern = pattern.Replace(posix, net, StringComparison.Ordinal);
        }

        return pattern;
    }

    /// <summary>
    /// Returns a substring every match of <paramref name="pattern"/> must contain, or null when none can be
    /// proven. Conservative: only literals outside groups of a pattern without top-level alternation.
    /// </summary>
    public static string? RequiredLiteral(string pattern, bool ignoreCase)
    {
        var runs = new List<string>();
        var run = new StringBuilder();
        var depth = 0;
        var lastWasRunChar = false;
        var i = 0;

        void EndRun()
        {
            if (run.Length > 0)
            {
                runs.Add(run.ToString());
                run.Clear();
            }

            lastWasRunChar = false;
        }

        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                {
                    if (i + 1 >= pattern.Length)
                    {
                        return null;
                    }

                    var e = pattern[i + 1];
                    if (char.IsAsciiLetterOrDigit(e))
                    {
                        EndRun();
                        i += 2;
                        switch (e)
                        {
                            case 'x': i += 2; break;
                            case 'u': i += 4; break;
                            case 'c': i += 1; break;
                            case 'p' or 'P' or 'k':
                                var close = pattern.IndexOfAny(['}', '>'], i);
                                if (close < 0)
                                {
                                    return null;
                                }

                                i = close + 1;
                                break;
                            default:
                                while (char.IsAsciiDigit(e) && i < pattern.Length && char.IsAsciiDigit(pattern[i]))
                                {
                                    i++;
                                }

                                break;
                        }
                    }
                    else
                    {
                        AddChar(e);
                        i += 2;
                    }

                    break;
                }

                case '[':
                {
                    EndRun();
                    i++;
                    if (i < pattern.Length && pattern[i] == '^')
                    {
                        i++;
                    }

                    if (i < pattern.Length && pattern[i] == ']')
                    {
                        i++;
                    }

                    while (i < pattern.Length && pattern[i] != ']')
                    {
                        i += pattern[i] == '\\' ? 2 : 1;
                    }

                    if (i >= pattern.Length)
                    {
                        return null;
                    }

                    i++;
                    break;
                }

                case '(':
                    if (i + 2 < pattern.Length && pattern[i + 1] == '?' && !(pattern[i + 2] is ':' or '<' or '=' or '!' or '\'' or '>'))
                    {
                        return null; // inline options change the meaning of what follows
                    }

                    EndRun();
                    depth++;
                    i++;
                    break;
                case ')':
                    EndRun();
                    depth--;
                    i++;
                    break;
                case '|':
                    if (depth == 0)
                    {
                        return null;
                    }

                    i++;
                    break;
                case '*' or '?':
                    RemoveOptionalLastChar();
                    EndRun();
                    i++;
                    if (i < pattern.Length && pattern[i] is '?' or '+')
                    {
                        i++;
                    }

                    break;
                case '+':
                    EndRun();
                    i++;
                    if (i < pattern.Length && pattern[i] is '?' or '+')
                    {
                        i++;
                    }

                    break;
                case '{':
                {
                    var close = pattern.IndexOf('}', i);
                    var body = close > i ? pattern[(i + 1)..close] : "";
                    if (close > i && IsQuantifier(body))
                    {
                        var min = body.Split(',')[0];
                        if (min.Length == 0 || min.All(ch => ch == '0'))
                        {
                            RemoveOptionalLastChar();
                        }

                        EndRun();
                        i = close + 1;
                        if (i < pattern.Length && pattern[i] is '?' or '+')
                        {
                            i++;
                        }
                    }
                    else
                    {
                        AddChar('{');
                        i++;
                    }

                    break;
                }

                case '.' or '^' or '$':
                    EndRun();
                    i++;
                    break;
                default:
                    AddChar(c);
                    i++;
                    break;
            }
        }

        EndRun();
        if (depth != 0)
        {
            return null;
        }

        string? best = null;
        foreach (var r in runs)
        {
            foreach (var piece in ignoreCase ? SplitUnsafe(r) : [r])
            {
                if (piece.Length > 0 && (best is null || piece.Length > best.Length))
                {
                    best = piece;
                }
            }
        }

        return best;

        void AddChar(char ch)
        {
            if (depth == 0)
            {
                run.Append(ch);
                lastWasRunChar = true;
            }
            else
            {
                lastWasRunChar = false;
            }
        }

        void RemoveOptionalLastChar()
        {
            if (lastWasRunChar && run.Length > 0)
            {
                run.Length--;
            }
        }
    }

    private static bool IsQuantifier(string body)
    {
        if (body.Length == 0)
        {
            return false;
        }

        var parts = body.Split(',');
        return parts.Length <= 2 && parts[0].All(char.IsAsciiDigit) && (parts.Length == 1 || parts[1].All(char.IsAsciiDigit))
            && (parts[0].Length > 0 || parts.Length == 2);
    }

    /// <summary>Splits at characters whose case-insensitive regex match may include non-ASCII letters.</summary>
    private static IEnumerable<string> SplitUnsafe(string s)
    {
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i == s.Length || s[i] > 127 || s[i] is 'k' or 'K' or 's' or 'S' or 'i' or 'I')
            {
                yield return s[start..i];
                start = i + 1;
            }
        }
    }
}
