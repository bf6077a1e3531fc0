namespace Megatest.Testing;

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    /// <summary>Creates a fresh directory under the system temp folder.</summary>
    public TempDir(string prefix = "mt")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Copies a directory tree into this directory under <paramref name="name"/>.</summary>
    public string CopyFrom(string source, string name)
    {
        var target = System.IO.Path.Combine(Path, name);
        CopyTree(source, target);
        return target;
    }

    /// <summary>Copies a directory tree, keeping the executable bits of files.</summary>
    public static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var dir in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, dir)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            File.Copy(file, dest, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dest, File.GetUnixFileMode(file) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file; the OS temp cleaner takes the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
