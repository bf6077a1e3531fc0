using System.Collections.Frozen;

namespace Megatest.Agent;

/// <summary>
/// Decides whether an ezstep's command can be run without a shell, the way GNU make does for its recipes: a command
/// with no shell syntax at all, whose first word is a program rather than a shell builtin or keyword, means the same
/// when its words are handed to the program found on PATH (issue #9: a bash per step cost a millisecond of CPU).
/// Everything else, and every environment that changes what bash would do before running the program, keeps bash.
/// </summary>
public static class SimpleCommand
{
    // Any of these may mean quoting, expansion, redirection, globbing, a list, a comment or an assignment; make's list
    // for /bin/sh plus '=' (VAR=value cmd), '%' (job specs) and '!' / '^' (history, old-style pipes).
    private const string ShellChars = ";|&<>()$`\\\"'*?[]#~=%{}!^\n\r";

    // bash's builtins and reserved words (`compgen -b -k`) that run something other than the program of that name.
    private static readonly FrozenSet<string> s_shellWords = FrozenSet.ToFrozenSet(
    [
        ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen", "complete",
        "compopt", "continue", "declare", "dirs", "disown", "enable", "eval", "exec", "exit", "export", "fc", "fg",
        "getopts", "hash", "help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "pushd",
        "printf", "pwd", "read", "readarray", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "times", "trap",
        "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
        "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in",
        "function", "time", "{", "}", "!", "[[", "]]", "coproc",
    ], StringComparer.Ordinal);

    // Builtins whose program of the same name (coreutils, in /usr/bin) behaves the same for simple words, except that
    // the program reads --help and --version: an argument starting with "--" keeps bash. (printf is not one: the
    // builtin's -v assigns a variable.)
    private static readonly FrozenSet<string> s_sameAsProgram = FrozenSet.ToFrozenSet(["echo", "true", "false", "test"], StringComparer.Ordinal);

    // Operators only bash's test knows, or reads differently (-v VAR, -o OPTION, -R VAR, unary -a FILE).
    private static readonly FrozenSet<string> s_bashTestOperators = FrozenSet.ToFrozenSet(["-v", "-o", "-R", "-a"], StringComparer.Ordinal);

    // Programs that print their environment in the order they got it: bash passes it in its own order, so their logs
    // would differ in order (not in content) without it.
    private static readonly FrozenSet<string> s_environmentPrinters = FrozenSet.ToFrozenSet(["env", "printenv"], StringComparer.Ordinal);

    // Variables that make bash run something or behave differently before it runs the command.
    private static readonly FrozenSet<string> s_shellEnvironment = FrozenSet.ToFrozenSet(["BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "POSIXLY_CORRECT"], StringComparer.Ordinal);

    /// <summary>
    /// The words of <paramref name="command"/> when it needs no shell (split on blanks), or null when bash must run it.
    /// </summary>
    public static string[]? Words(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.AsSpan().IndexOfAny(ShellChars) >= 0)
        {
            return null;
        }

        var words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || s_shellWords.Contains(words[0]) || s_environmentPrinters.Contains(Path.GetFileName(words[0])))
        {
            return null;
        }

        if (s_sameAsProgram.Contains(words[0]) && words.Skip(1).Any(w => w.StartsWith("--", StringComparison.Ordinal)))
        {
            return null;
        }

        if (words[0] == "test" && words.Skip(1).Any(s_bashTestOperators.Contains))
        {
            return null;
        }

        return words;
    }

    /// <summary>
    /// True when bash, started with <paramref name="environment"/>, would do more than run the command: read a start-up
    /// file, take options, define exported functions, or drop variables whose names it cannot hold.
    /// </summary>
    public static bool EnvironmentNeedsShell(IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (name, _) in environment)
        {
            if (s_shellEnvironment.Contains(name) || name.StartsWith("BASH_FUNC_", StringComparison.Ordinal) || !IsName(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The program bash would run for <paramref name="word"/>: the word itself when it holds a slash, else the first
    /// executable regular file in the directories of <paramref name="path"/> (an empty entry is the working directory),
    /// as bash names it (relative entries stay relative). Null when there is none, or when it is neither an ELF binary
    /// nor a <c>#!</c> script (bash would run such a file as a shell script): bash then reports it as before.
    /// </summary>
    public static string? Resolve(string word, string path, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(path);
        if (word.Contains('/', StringComparison.Ordinal))
        {
            return IsProgram(Path.Combine(workingDirectory, word)) ? word : null;
        }

        foreach (var entry in path.Split(':'))
        {
            var dir = entry.Length == 0 ? "." : entry;
            var candidate = dir + "/" + word;
            var onDisk = Path.IsPathRooted(candidate) ? candidate : Path.Combine(workingDirectory, candidate);
            if (IsExecutableFile(onDisk))
            {
                return IsProgram(onDisk) ? candidate : null;
            }
        }

        return null;
    }

    private static bool IsExecutableFile(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Exists && (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsProgram(string file)
    {
        try
        {
            Span<byte> head = stackalloc byte[4];
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
            return (n >= 2 && head[0] == '#' && head[1] == '!') || (n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
