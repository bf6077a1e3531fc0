using System.Text;

namespace Megatest.Cli.Utilities;

/// <summary>Quotes values for bash and csh so that sourcing a generated file reproduces them exactly.</summary>
internal static class ShellQuoting
{
    /// <summary>True for a name a shell accepts as a variable (letters, digits, underscore; not starting with a digit).</summary>
    public static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>True when the value needs no quoting in either shell.</summary>
    public static bool IsPlain(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_-./,:=+@%^".Contains(c, StringComparison.Ordinal));

    /// <summary>The value as one bash word: as is when plain, else single-quoted ('\'' for quotes).</summary>
    public static string Bash(string value) =>
        IsPlain(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The value as one csh word: as is when plain, else single-quoted; quotes and '!' are written outside the
    /// quotes escaped with a backslash, and newlines are escaped with a backslash as csh requires.
    /// </summary>
    public static string Csh(string value)
    {
        if (IsPlain(value))
        {
            return value;
        }

        var sb = new StringBuilder("'");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'':
                    sb.Append("'\\''");
                    break;
                case '!':
                    sb.Append("'\\!'");
                    break;
                case '\n':
                    sb.Append("\\\n");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.Append('\'').ToString();
    }
}
