using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Megatest.Protocol.Transport.Security;

/// <summary>
/// A directory of CURVE keys: <c>NAME.key</c> (public certificate) and <c>NAME.key_secret</c> (mode 0600), in the
/// certificate format of CZMQ and pyzmq's <c>zmq.auth</c> (so <c>zmq.auth.load_certificate</c> reads them), and the
/// allowlist <c>authorized_keys</c>.
/// </summary>
public sealed partial class KeyStore
{
    /// <summary>Opens the store at <paramref name="directory"/> (nothing is read or created yet).</summary>
    public KeyStore(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory = directory;
    }

    /// <summary>The key directory.</summary>
    public string Directory { get; }

    /// <summary>The allowlist file.</summary>
    public string AllowListPath => Path.Combine(Directory, AllowList.FileName);

    /// <summary>True when <paramref name="name"/> is a valid key name.</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    /// <summary>The public certificate file of <paramref name="name"/>.</summary>
    public string PublicPath(string name) => Path.Combine(Directory, name + ".key");

    /// <summary>The secret certificate file of <paramref name="name"/>.</summary>
    public string SecretPath(string name) => Path.Combine(Directory, name + ".key_secret");

    /// <summary>
    /// Makes a new key pair NAME (refusing an existing one), writes both files (the secret one mode 0600, the directory 0700
    /// when it is created) and, when <paramref name="allow"/>, lists the public key in the allowlist.
    /// </summary>
    public CurveKeyPair Create(string name, bool allow)
    {
        CheckName(name);
        if (File.Exists(PublicPath(name)) || File.Exists(SecretPath(name)))
        {
            throw new KeyFileException($"key {name} already exists in {Directory}; remove {name}.key and {name}.key_secret first to replace it");
        }

        if (!System.IO.Directory.Exists(Directory))
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var pair = CurveKeyPair.Generate(name);
        var list = AllowList.Read(AllowListPath);
        if (allow && list.NameOf(pair.PublicKey) is null && list.Entries.Any(e => e.Name == name))
        {
            throw new KeyFileException($"{AllowListPath}: the name {name} is already listed with another key; remove that line first");
        }

        WriteNew(SecretPath(name), Certificate(pair, secret: true), secret: true);
        WriteNew(PublicPath(name), Certificate(pair, secret: false), secret: false);
        if (allow)
        {
            File.AppendAllText(AllowListPath, $"{name} {pair.PublicKey}\n");
        }

        return pair;
    }

    /// <summary>Loads key NAME: the secret file when <paramref name="needSecret"/>, else the public file (or the secret one when only it exists).</summary>
    public CurveKeyPair Load(string name, bool needSecret)
    {
        CheckName(name);
        var secretPath = SecretPath(name);
        if (File.Exists(secretPath))
        {
            return ReadCertificate(name, secretPath, needSecret);
        }

        if (needSecret)
        {
            throw new KeyFileException($"no secret key {secretPath}: create it with `megatest keys create {name}` (keys-dir {Directory})");
        }

        var publicPath = PublicPath(name);
        return File.Exists(publicPath)
            ? ReadCertificate(name, publicPath, false)
            : throw new KeyFileException($"no key {publicPath}: create it with `megatest keys create {name}` or copy {name}.key into {Directory}");
    }

    /// <summary>The allowlist of this directory.</summary>
    public AllowList LoadAllowList() => AllowList.Read(AllowListPath);

    /// <summary>The names of the key pairs in the directory (from their certificate files), sorted.</summary>
    public IReadOnlyList<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory)
                .Select(Path.GetFileName)
                .Select(f => f!.EndsWith(".key_secret", StringComparison.Ordinal) ? f[..^".key_secret".Length] : f.EndsWith(".key", StringComparison.Ordinal) ? f[..^".key".Length] : null)
                .OfType<string>()
                .Where(IsName)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)]
            : [];

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsName(name))
        {
            throw new KeyFileException($"key name \"{name}\": use letters, digits, '.', '_' and '-' (starting with a letter or digit)");
        }
    }

    private static CurveKeyPair ReadCertificate(string name, string path, bool needSecret)
    {
        string? publicKey = null;
        string? secretKey = null;
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || eq < 0)
            {
                continue;
            }

            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"', '\'');
            if (key is "public-key" or "secret-key")
            {
                if (!CurveKeyPair.IsKey(value))
                {
                    throw new KeyFileException($"{path}:{lineNo}: {key} is not a 40-character Z85 key");
                }

                if (key == "public-key")
                {
                    publicKey = value;
                }
                else
                {
                    secretKey = value;
                }
            }
        }

        if (publicKey is null)
        {
            throw new KeyFileException($"{path}: no public-key line");
        }

        if (needSecret && secretKey is null)
        {
            throw new KeyFileException($"{path}: no secret-key line");
        }

        return new CurveKeyPair(name, publicKey, secretKey);
    }

    private static string Certificate(CurveKeyPair pair, bool secret)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#   ****  Generated on {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} by megatest  ****\n");
        text.Append(secret
            ? "#   ZeroMQ CURVE **Secret** Certificate\n#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n"
            : "#   ZeroMQ CURVE Public Certificate\n#   Exchange securely, or use a secure mechanism to verify the contents\n#   of this file after exchange.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"metadata\n    name = \"{pair.Name}\"\ncurve\n    public-key = \"{pair.PublicKey}\"\n");
        if (secret)
        {
            text.Append(CultureInfo.InvariantCulture, $"    secret-key = \"{pair.SecretKey}\"\n");
        }

        return text.ToString();
    }

    private static void WriteNew(string path, string text, bool secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
