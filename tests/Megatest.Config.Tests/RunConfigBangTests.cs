using Megatest.Config;
using Megatest.Testing;

namespace Megatest.Config.Tests;

public sealed class RunConfigBangTests
{
    [Fact]
    public void BangVariable_IsNotExported_ButRgetReadsIt()
    {
        using var tmp = new TempDir("bang");
        File.WriteAllText(Path.Combine(tmp.Path, "megatest.config"), "[fields]\nX TEXT\n");
        File.WriteAllText(Path.Combine(tmp.Path, "runconfigs.config"), "[default]\n!SECRET hidden-value\nPLAIN shown\n[v1]\n!TOKEN t-1\n");
        Directory.CreateDirectory(Path.Combine(tmp.Path, "tests", "t"));
        File.WriteAllText(Path.Combine(tmp.Path, "tests", "t", "testconfig"), "[setup]\nsecret #{rget SECRET}\ntoken #{rget TOKEN}\nplain #{getenv PLAIN}\nmissing #{getenv SECRET}\n");

        var area = AreaConfig.Load(tmp.Path, "v1", EnvironmentScope.Empty());
        Assert.Null(area.Environment.Get("SECRET"));
        Assert.Null(area.Environment.Get("!SECRET"));
        Assert.Equal("shown", area.Environment.Get("PLAIN"));

        var tc = area.ReadTestConfig("t", area.Environment.Clone());
        Assert.Equal("hidden-value", tc.Get("setup", "secret"));
        Assert.Equal("t-1", tc.Get("setup", "token"));
        Assert.Equal("shown", tc.Get("setup", "plain"));
        Assert.Equal("#f", tc.Get("setup", "missing"));
    }
}
