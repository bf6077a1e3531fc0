using Megatest.Config;
using Megatest.Protocol.Transport.Security;

namespace Megatest.Cli;

/// <summary>
/// <c>megatest keys create NAME [--no-allow]</c> and <c>megatest keys list</c>: CURVE key pairs and the allowlist in the key
/// directory (<c>--keys-dir DIR</c>, else MEGATEST_KEYSDIR, else the area's <c>[services] keys-dir</c>, else ~/.megatest/keys).
/// </summary>
public static class KeyCommands
{
    /// <summary>Runs the verb's words; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> words, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(output);
        string? keysDir = null;
        var allow = true;
        var rest = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "--keys-dir" when i + 1 < words.Count:
                    keysDir = words[++i];
                    break;
                case "--keys-dir":
                    throw new UsageException("--keys-dir needs a directory");
                case "--no-allow":
                    allow = false;
                    break;
                default:
                    rest.Add(words[i]);
                    break;
            }
        }

        var store = new KeyStore(keysDir ?? ConfiguredKeysDir());
        return rest switch
        {
            ["create", var name] => Create(store, name, allow, output),
            ["list"] => List(store, output),
            _ => throw new UsageException("usage: megatest keys create NAME [--no-allow] [--keys-dir DIR] | megatest keys list [--keys-dir DIR]"),
        };
    }

    private static int Create(KeyStore store, string name, bool allow, TextWriter output)
    {
        var pair = store.Create(name, allow);
        output.WriteLine($"created key {name}: public {pair.PublicKey}");
        output.WriteLine($"  {store.PublicPath(name)}");
        output.WriteLine($"  {store.SecretPath(name)} (mode 0600: keep it to its owner)");
        output.WriteLine(allow ? $"  listed in {store.AllowListPath}" : $"  not listed: add \"{name} {pair.PublicKey}\" to the daemons' {AllowList.FileName} to let it in");
        return 0;
    }

    private static int List(KeyStore store, TextWriter output)
    {
        var allowList = store.LoadAllowList();
        output.WriteLine($"keys in {store.Directory}:");
        var names = store.Names();
        foreach (var name in names)
        {
            var pair = store.Load(name, needSecret: false);
            var listed = allowList.NameOf(pair.PublicKey) is { } listedAs ? "allowed as " + listedAs : "not allowed";
            output.WriteLine($"  {name,-20} {pair.PublicKey}  {(pair.SecretKey is null ? "public only" : "secret here")}, {listed}");
        }

        if (names.Count == 0)
        {
            output.WriteLine("  (none: create one with `megatest keys create NAME`)");
        }

        output.WriteLine($"allowlist {store.AllowListPath}: {allowList.Count} key(s)");
        foreach (var (name, key) in allowList.Entries)
        {
            output.WriteLine($"  {name,-20} {key}");
        }

        return 0;
    }

    private static string ConfiguredKeysDir()
    {
        var services = ServiceEndpoints.FromDirectory(Directory.GetCurrentDirectory());
        return services.Security.KeysDirectory;
    }
}
