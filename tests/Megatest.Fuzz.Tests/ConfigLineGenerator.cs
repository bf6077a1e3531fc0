using System.Text;

namespace Megatest.Fuzz.Tests;

/// <summary>Random config lines built from the pieces of the config grammar (SPEC §2) and some garbage.</summary>
public static class ConfigLineGenerator
{
    private const string Canary = ConfigFuzzArea.Canary;

    private static readonly string[] s_sections =
    [
        "default", "fields", "setup", "env-override", "pre-launch-env-vars", "items", "itemstable", "requirements", "tests-paths",
        "logpro", "ezsteps", "test_meta", "a/b", "x/2/y", "x/%/y", "%", "%/%", "a/%", "/x.*/", "/a|b/", "/[/", "/(/", "/*/", "/a{2,}/",
        "", " ", "spaced name", "inc1", "loop", "default ", "#{getenv S}", "#{get inc1 k1}",
    ];

    private static readonly string[] s_keys =
    [
        "K", "k1", "k2", "waiton", "runscript", "launcher", "max_concurrent_jobs", "area-name", "testsuite", "linktree",
        "PATH", "HOME", "MT_TARGET", "runname", "state", "a:b", "X", "#{getenv K}", "[k]", "k]", "%",
    ];

    private static readonly string[] s_values =
    [
        "v", "value with spaces", "a/b", "1", "0", "-1", "yes", "no", "#f", "$HOME", "$(echo hi)", "`id`", "*", "a;b", "'q'", "\"dq\"",
        "x # not a comment", "\\", "}", "{", "[", "]", "#", "~", "~/x", "..", "/", "%", "",
    ];

    private static readonly string[] s_helpers =
    [
        "#{getenv X}", "#{getenv K}", "#{gv HOME}", "#{gv MT_RUN_AREA_HOME}", "#{get a K}", "#{get inc1 k1}", "#{g default K}",
        "#{get #{getenv S} k}", "#{rget K}", "#{runconfigs-get X}", "#{rp x/../y}", "#{rp ~/x}", "#{realpath ~nosuchuser-fuzz/y}",
        "#{rp \0}", "#{mtrah }", "#{mtrah}", "#{mtrah sub/dir}", "#{unknown x}", "#{ }", "#{}", "#{", "}", "#{get a", "#{{get a b}}",
        "#{get a #{get b #{get c d}}}", $"#{{shell touch {Canary}}}", $"#{{sh touch {Canary}}}", $"#{{system touch {Canary}}}",
        "#{scheme (+ 1 2)}", "#{scm x}",
    ];

    private static readonly string[] s_other =
    [
        "[configf:settings trim-trailing-spaces yes]", "[configf:settings trim-trailing-spaces no]", "[configf:settings unknown x]",
        "[configf:settings]", "# a comment", "   # an indented comment", "#f", "#", "", "   ", "\t", $"[scriptinc run-me.sh]",
        $"[scriptinc ./run-me.sh a b]", "[scriptinc missing.sh]", "[scriptinc #{getenv S}]", $"K [system touch {Canary}]",
        $"[system touch {Canary}]", "[include", "include x]", "[[a]]", "[a]b", "]",
    ];

    /// <summary>A line (possibly several pieces joined).</summary>
    public static string Line(Random rng)
    {
        var pieces = rng.Next(6) == 0 ? rng.Next(2, 4) : 1;
        var sb = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            if (i > 0)
            {
                sb.Append(rng.Next(3) == 0 ? "" : " ");
            }

            sb.Append(Piece(rng));
        }

        return sb.ToString();
    }

    private static string Piece(Random rng)
    {
        return rng.Next(20) switch
        {
            0 or 1 or 2 => "[" + Pick(s_sections, rng) + "]",
            3 => "[include " + Pick(ConfigFuzzArea.IncludeTargets, rng) + "]",
            4 or 5 or 6 or 7 => Pick(s_keys, rng) + Spaces(rng) + Value(rng),
            8 => Pick(s_keys, rng),
            9 => Spaces(rng, 1) + Value(rng), // continuation
            10 => Value(rng) + "\\", // backslash join
            11 or 12 => Pick(s_helpers, rng),
            13 or 14 => rng.Next(60) == 0 ? "[scriptinc   ]" : Pick(s_other, rng),
            15 => Garbage(rng, rng.Next(1, 40)),
            16 => Pick(s_keys, rng) + " " + Pick(s_helpers, rng) + Value(rng),
            17 => rng.Next(60) == 0 ? Long(rng) : "[" + Garbage(rng, rng.Next(0, 12)) + "]",
            18 => "#{" + Pick(["getenv", "get", "rget", "rp", "mtrah", "gv", "g"], rng) + Spaces(rng, 1) + Garbage(rng, rng.Next(0, 10)) + (rng.Next(2) == 0 ? "}" : ""),
            _ => Pick(s_keys, rng) + Spaces(rng) + Pick(s_values, rng) + Pick(s_helpers, rng),
        };
    }

    private static string Value(Random rng) => rng.Next(4) switch
    {
        0 => Pick(s_values, rng) + " " + Pick(s_values, rng),
        1 => Pick(s_values, rng) + Pick(s_helpers, rng),
        _ => Pick(s_values, rng),
    };

    private static string Spaces(Random rng, int min = 0) =>
        new(rng.Next(4) == 0 ? '\t' : ' ', rng.Next(Math.Max(min, 1), 5));

    /// <summary>Random characters: printable, control, NUL, CR, high code points and lone surrogates.</summary>
    public static string Garbage(Random rng, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(rng.Next(12) switch
            {
                0 => (char)rng.Next(0, 0x20),
                1 => (char)rng.Next(0xd800, 0xe000),
                2 => (char)rng.Next(0x80, 0xffff),
                3 => "[]{}#\\%/~$`"[rng.Next(11)],
                _ => (char)rng.Next(0x20, 0x7f),
            });
        }

        return sb.ToString();
    }

    private static string Long(Random rng)
    {
        var length = rng.Next(10_000, 100_000);
        return rng.Next(4) switch
        {
            0 => "K " + new string('v', length),
            1 => "[" + new string('s', length) + "]",
            2 => string.Concat(Enumerable.Repeat("#{getenv X}", length / 100)), // past 1000 helpers: "does not terminate"
            _ => new string(' ', length) + "x",
        };
    }

    private static string Pick(IReadOnlyList<string> items, Random rng) => items[rng.Next(items.Count)];
}
