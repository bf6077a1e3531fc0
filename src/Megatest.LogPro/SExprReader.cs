using System.Globalization;
using System.Text;

namespace Megatest.LogPro;

/// <summary>Reads the s-expression subset used by logpro rule files.</summary>
internal sealed class SExprReader
{
    private readonly string _text;
    private readonly string _fileName;
    private int _pos;
    private int _line = 1;

    public SExprReader(string text, string fileName)
    {
        _text = text;
        _fileName = fileName;
    }

    /// <summary>Reads every top-level datum.</summary>
    public List<SExpr> ReadAll()
    {
        var result = new List<SExpr>();
        while (true)
        {
            SkipAtmosphere();
            if (_pos >= _text.Length)
            {
                return result;
            }

            result.Add(ReadDatum());
        }
    }

    private LogProSyntaxException Error(int line, string what) => new(_fileName, line, what);

    private void SkipAtmosphere()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _pos++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == ';')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '#' && Peek(1) == '|')
            {
                var start = _line;
                _pos += 2;
                var depth = 1;
                while (depth > 0)
                {
                    if (_pos >= _text.Length)
                    {
                        throw Error(start, "unterminated block comment '#|'");
                    }

                    if (_text[_pos] == '\n')
                    {
                        _line++;
                    }

                    if (_text[_pos] == '|' && Peek(1) == '#')
                    {
                        depth--;
                        _pos += 2;
                    }
                    else if (_text[_pos] == '#' && Peek(1) == '|')
                    {
                        depth++;
                        _pos += 2;
                    }
                    else
                    {
                        _pos++;
                    }
                }
            }
            else if (c == '#' && Peek(1) == ';')
            {
                _pos += 2;
                SkipAtmosphere();
                if (_pos >= _text.Length)
                {
                    throw Error(_line, "'#;' at end of file");
                }

                ReadDatum();
            }
            else
            {
                return;
            }
        }
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private SExpr ReadDatum()
    {
        SkipAtmosphere();
        if (_pos >= _text.Length)
        {
            throw Error(_line, "unexpected end of file");
        }

        var c = _text[_pos];
        var line = _line;
        switch (c)
        {
            case '(':
            case '[':
                return ReadList(c == '(' ? ')' : ']');
            case ')':
            case ']':
                throw Error(line, $"unexpected '{c}'");
            case '"':
                return ReadString();
            case '\'':
                _pos++;
                return SExpr.List(line, [SExpr.Symbol(line, "quote"), ReadDatum()]);
            case '`':
            case ',':
                throw Error(line, $"quasiquote/unquote ('{c}') is general Scheme and is not supported in rule files");
            case '#':
                return ReadHash();
            default:
                return ReadAtom();
        }
    }

    private SExpr ReadList(char close)
    {
        var line = _line;
        _pos++;
        var items = new List<SExpr>();
        while (true)
        {
            SkipAtmosphere();
            if (_pos >= _text.Length)
            {
                throw Error(line, $"unclosed '(' (no matching '{close}' before end of file)");
            }

            var c = _text[_pos];
            if (c == ')' || c == ']')
            {
                if (c != close)
                {
                    throw Error(_line, $"'{c}' does not match the bracket opened on line {line}");
                }

                _pos++;
                return SExpr.List(line, items);
            }

            items.Add(ReadDatum());
        }
    }

    private SExpr ReadString()
    {
        var line = _line;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error(line, "unterminated string");
            }

            var c = _text[_pos++];
            if (c == '"')
            {
                return SExpr.Str(line, sb.ToString());
            }

            if (c == '\n')
            {
                _line++;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error(line, "unterminated string");
            }

            var e = _text[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case '0': sb.Append('\0'); break;
                case '\n': _line++; break;
                default: sb.Append(e); break;
            }
        }
    }

    private SExpr ReadHash()
    {
        var line = _line;
        var next = Peek(1);
        if (next == '/')
        {
            _pos += 2;
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw Error(line, "unterminated regular expression literal '#/'");
                }

                var c = _text[_pos++];
                if (c == '\n')
                {
                    throw Error(line, "unterminated regular expression literal '#/' (newline before closing '/')");
                }

                if (c == '/')
                {
                    break;
                }

                sb.Append(c);
                if (c == '\\' && _pos < _text.Length && _text[_pos] != '\n')
                {
                    sb.Append(_text[_pos++]);
                }
            }

            var flagStart = _pos;
            while (_pos < _text.Length && char.IsAsciiLetter(_text[_pos]))
            {
                _pos++;
            }

            var flags = _text[flagStart.._pos];
            foreach (var f in flags)
            {
                if (f is not ('i' or 'm' or 's' or 'x'))
                {
                    throw Error(line, $"unknown regular expression flag '{f}' after #/{sb}/");
                }
            }

            return SExpr.Regex(line, sb.ToString(), flags);
        }

        var atom = ReadToken();
        return atom switch
        {
            "#t" or "#true" => SExpr.Bool(line, true),
            "#f" or "#false" => SExpr.Bool(line, false),
            _ => throw Error(line, $"unsupported syntax '{atom}'"),
        };
    }

    private string ReadToken()
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '[' or ']' or '"' or ';' or '\'')
            {
                break;
            }

            _pos++;
        }

        return _text[start.._pos];
    }

    private SExpr ReadAtom()
    {
        var line = _line;
        var token = ReadToken();
        if (token.Length == 0)
        {
            throw Error(line, $"unexpected character '{_text[_pos]}'");
        }

        var first = token[0];
        var numeric = char.IsAsciiDigit(first)
            || (token.Length > 1 && (first is '-' or '+' or '.') && (char.IsAsciiDigit(token[1]) || (token[1] == '.' && token.Length > 2)));
        if (numeric && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return SExpr.Num(line, token, value);
        }

        return SExpr.Symbol(line, token);
    }
}
