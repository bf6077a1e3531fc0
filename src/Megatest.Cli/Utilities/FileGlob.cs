using System.Text;
using System.Text.RegularExpressions;

namespace Megatest.Cli.Utilities;

/// <summary>
/// A shell glob (*, ?, [abc], [!abc], and ** across directories). A glob without '/' is matched against file
/// names at any depth; one with '/' against the path relative to the searched directory.
/// </summary>
internal sealed class FileGlob
{
    private readonly Regex _regex;
    private readonly bool _matchesRelativePath;

    private FileGlob(Regex regex, bool matchesRelativePath)
    {
        _regex = regex;
        _matchesRelativePath = matchesRelativePath;
    }

    /// <summary>Compiles a glob.</summary>
    public static FileGlob Parse(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                    sb.Append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[' when i + 2 <= glob.Length && glob.IndexOf(']', i + 2) is var close and > 0:
                    var body = glob[(i + 1)..close];
                    var negate = body.StartsWith('!') || body.StartsWith('^');
                    sb.Append('[').Append(negate ? "^" : "").Append(body[(negate ? 1 : 0)..].Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        sb.Append('$');
        return new FileGlob(new Regex(sb.ToString(), RegexOptions.CultureInvariant), glob.Contains('/', StringComparison.Ordinal));
    }

    /// <summary>Files below <paramref name="directory"/> (following it when it is a link) that match, sorted.</summary>
    public IEnumerable<string> Find(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(directory, "*", options)
            .Where(f =>
            {
                var relative = Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/');
                return _regex.IsMatch(_matchesRelativePath ? relative : Path.GetFileName(f));
            })
            .Order(StringComparer.Ordinal);
    }
}
