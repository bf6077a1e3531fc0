namespace Megatest.Config;

/// <summary>Path helpers: symlink resolution and <c>~</c> expansion.</summary>
internal static class PathUtil
{
    /// <summary>True when both paths name the same directory (symlinks resolved).</summary>
    public static bool SameDirectory(string a, string b)
    {
        if (string.IsNullOrEmpty(a) || !Path.IsPathRooted(a) || !Directory.Exists(a))
        {
            return false;
        }

        try
        {
            return string.Equals(RealPath(a), RealPath(b), StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The absolute path with every symlink component resolved.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(full[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.Exists || Directory.Exists(next))
            {
                FileSystemInfo fsi = Directory.Exists(next) ? new DirectoryInfo(next) : info;
                if (fsi.LinkTarget is { } target)
                {
                    if (++hops > 64)
                    {
                        throw new IOException("Too many levels of symbolic links: " + path);
                    }

                    if (Path.IsPathRooted(target))
                    {
                        current = Path.GetPathRoot(target) ?? root;
                        target = target[current.Length..];
                    }

                    foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    {
                        pending.Push(p);
                    }

                    continue;
                }
            }

            current = next;
        }

        return current;
    }

    /// <summary>Expands a leading <c>~</c> or <c>~user</c>.</summary>
    public static string ExpandTilde(string path, EnvironmentScope env)
    {
        if (!path.StartsWith('~'))
        {
            return path;
        }

        var slash = path.IndexOf('/');
        var user = slash < 0 ? path[1..] : path[1..slash];
        var rest = slash < 0 ? string.Empty : path[slash..];
        string? home = user.Length == 0 ? env.Get("HOME") ?? System.Environment.GetEnvironmentVariable("HOME") : HomeOf(user);
        return home is null ? path : home.TrimEnd('/') + rest;
    }

    private static string? HomeOf(string user)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 6 && fields[0] == user)
                {
                    return fields[5];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
