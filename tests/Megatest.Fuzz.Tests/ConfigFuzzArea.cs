using Megatest.Testing;

namespace Megatest.Fuzz.Tests;

/// <summary>
/// The temporary directory config fuzzing happens in: a copy of the real areas, include targets (nested, looping,
/// binary) and a script that would leave a canary file if any fuzz input ever made the parser run a command.
/// </summary>
public sealed class ConfigFuzzArea : IDisposable
{
    /// <summary>A file that appears only if a shell command, [system] or [scriptinc] ran.</summary>
    public const string Canary = "SHELL-RAN";

    private readonly TempDir _dir = new("mt-fuzz");

    /// <summary>Builds the directory.</summary>
    public ConfigFuzzArea()
    {
        Root = _dir.Path;
        Areas = _dir.CopyFrom(TestPaths.SharedAreas, "areas");
        Write("inc1.config", "[inc1]\nk1 v1\nk2 #{get inc1 k1}-2\n  continued\n");
        Write("inc2.config", "k3 v3\n[include inc1.config]\nk4 #{get inc1 k2}\n");
        Write("self.config", "s1 x\n[include self.config]\n");
        Write("loop-a.config", "[loop]\na 1\n[include loop-b.config]\n");
        Write("loop-b.config", "b 2\n[include loop-a.config]\n");
        Write("sub/inc3.config", "[include ../inc1.config]\nk5 #{getenv MT_RUN_AREA_HOME}\n");
        Write("shell.config", $"x [system touch {Canary}]\ny #{{shell touch {Canary}}}\n[scriptinc run-me.sh]\n");
        var garbage = new byte[4096];
        new Random(6).NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(Root, "binary.config"), garbage);
        Write("run-me.sh", $"#!/bin/sh\ntouch {Canary}\necho 'k from-script'\n");
        File.SetUnixFileMode(Path.Combine(Root, "run-me.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The directory.</summary>
    public string Root { get; }

    /// <summary>The copy of the real areas (/work/shared/megatest-areas).</summary>
    public string Areas { get; }

    /// <summary>Include targets in <see cref="Root"/> that fuzz inputs name.</summary>
    public static IReadOnlyList<string> IncludeTargets { get; } =
    [
        "inc1.config", "inc2.config", "self.config", "loop-a.config", "sub/inc3.config", "shell.config", "binary.config",
        "missing.config", "sub", "", "../missing-fuzz.config", "~/missing-fuzz.config", "~nosuchuser-fuzz/x", "areas/mintest/megatest.config",
        "areas/dep-tests/common.testconfig", "#{getenv INC}", "#{get inc1 k1}", "inc1.config extra words",
    ];

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
