using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

public class IncludeTests
{
    [Fact]
    public void Include_RelativeToIncludingFile_ReadInlineIntoCurrentSection()
    {
        using var tmp = new TempDir();
        var sub = Directory.CreateDirectory(Path.Combine(tmp.Path, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "main.config"), "[s]\na 1\n[include parts/inc.config]\nc 3\n");
        Directory.CreateDirectory(Path.Combine(sub, "parts"));
        File.WriteAllText(Path.Combine(sub, "parts", "inc.config"), "b 2\n[other]\nx 9\n");

        // The working directory is elsewhere: the include must be found next to main.config.
        var data = ConfigReader.ReadFile(Path.Combine(sub, "main.config"), new ConfigReadOptions
        {
            Environment = Cfg.Env(),
            WorkingDirectory = tmp.Path,
        });

        Assert.Equal(["a", "b", "c"], Cfg.Keys(data, "s"));
        Assert.Equal("9", data.Get("other", "x"));
        Assert.Equal(new ConfigLocation(Path.Combine(sub, "parts", "inc.config"), 1), data.LocationOf("s", "b"));
    }

    [Fact]
    public void Include_NestedIncludesResolveRelativeToTheirOwnFile()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "a", "b"));
        File.WriteAllText(Path.Combine(tmp.Path, "top.config"), "[s]\n[include a/one.config]\n");
        File.WriteAllText(Path.Combine(tmp.Path, "a", "one.config"), "one 1\n[include b/two.config]\n");
        File.WriteAllText(Path.Combine(tmp.Path, "a", "b", "two.config"), "two 2\n");
        var data = ConfigReader.ReadFile(Path.Combine(tmp.Path, "top.config"), new ConfigReadOptions { Environment = Cfg.Env() });
        Assert.Equal(["one", "two"], Cfg.Keys(data, "s"));
    }

    [Fact]
    public void Include_MissingFileIsSilentlySkipped()
    {
        using var tmp = new TempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "m.config"), "[s]\na 1\n[include a file that doesn't exist]\nb 2\n");
        var data = ConfigReader.ReadFile(Path.Combine(tmp.Path, "m.config"), new ConfigReadOptions { Environment = Cfg.Env() });
        Assert.Equal(["a", "b"], Cfg.Keys(data, "s"));
        Assert.Contains(data.Warnings, w => w.Contains("not found") && w.Contains(":3: "));
    }

    [Fact]
    public void Include_PathMayUseHelpers()
    {
        using var tmp = new TempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "common.testconfig"), "[std]\ngenlib setup\n");
        var env = Cfg.Env(("MT_RUN_AREA_HOME", tmp.Path));
        var data = Cfg.Read("[include #{getenv MT_RUN_AREA_HOME}/common.testconfig]\n", env: env);
        Assert.Equal("setup", data.Get("std", "genlib"));
    }

    [Fact]
    public void Include_LoopIsAnErrorNamingFileAndLine()
    {
        using var tmp = new TempDir();
        var path = Path.Combine(tmp.Path, "loop.config");
        File.WriteAllText(path, "a 1\n[include loop.config]\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigReader.ReadFile(path, new ConfigReadOptions { Environment = Cfg.Env() }));
        Assert.Equal(path, ex.FileName);
        Assert.Equal(2, ex.Line);
        Assert.StartsWith(path + ":2: ", ex.Message);
    }

    [Fact]
    public void ReadFile_MissingFileIsConfigError()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigReader.ReadFile("/nonexistent/x.config", new ConfigReadOptions { Environment = Cfg.Env() }));
        Assert.Equal("/nonexistent/x.config", ex.FileName);
    }

    [Fact]
    public void ScriptInc_ParsesScriptOutputAsInlineConfig()
    {
        using var tmp = new TempDir();
        var script = Path.Combine(tmp.Path, "gen.sh");
        File.WriteAllText(script, "#!/bin/bash\necho \"k1 $1\"\necho \"k2 $2\"\necho '[later]'\necho 'z 1'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var data = Cfg.Read("[s]\n[scriptinc gen.sh alpha beta]\nafter 1\n", workingDirectory: tmp.Path);
        Assert.Equal("alpha", data.Get("s", "k1"));
        Assert.Equal("beta", data.Get("s", "k2"));
        Assert.Equal("1", data.Get("later", "z"));
        Assert.Equal("1", data.Get("s", "after"));
    }

    [Fact]
    public void ScriptInc_NotExecutableIsSkippedWithMessage()
    {
        using var tmp = new TempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "gen.sh"), "echo k1 v\n");
        File.SetUnixFileMode(Path.Combine(tmp.Path, "gen.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var data = Cfg.Read("[s]\n[scriptinc gen.sh]\n", workingDirectory: tmp.Path);
        Assert.Empty(data.Section("s"));
        Assert.Contains(data.Warnings, w => w.Contains("scriptinc") && w.Contains(":2: "));
    }

    [Fact]
    public void ScriptInc_NotRunWhenShellNotAllowed()
    {
        using var tmp = new TempDir();
        var script = Path.Combine(tmp.Path, "gen.sh");
        File.WriteAllText(script, "#!/bin/bash\necho k1 v\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var data = Cfg.Read("[s]\n[scriptinc gen.sh]\n", workingDirectory: tmp.Path, allowShell: false);
        Assert.Empty(data.Section("s"));
    }
}
