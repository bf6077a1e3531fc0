using Megatest.Core;

namespace Megatest.Core.Tests;

public class TargetKeysTests
{
    private static readonly string[] s_keys = ["DEPS", "SPEED"];

    [Fact]
    public void SplitsOneValuePerKey()
    {
        Assert.Equal(["std", "0"], TargetKeys.Split("std/0", s_keys));
        Assert.Equal(["v1.0"], TargetKeys.Split("v1.0", ["X"]));
        Assert.Equal("std/0", TargetKeys.Join(["std", "0"]));
    }

    [Theory]
    [InlineData("std", 1)]
    [InlineData("std/0/x", 3)]
    [InlineData("std/", 1)]
    [InlineData("/0", 1)]
    [InlineData("", 0)]
    [InlineData("a//b", 3)]
    public void RejectsWrongCountOrEmptyComponent(string target, int got)
    {
        var ex = Assert.Throws<ArgumentException>(() => TargetKeys.Split(target, s_keys));
        Assert.Equal($"Invalid target '{target}': expected 2 values for keys DEPS/SPEED, got {got}", ex.Message);
    }

    [Fact]
    public void SingleKeyEmptyTargetRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => TargetKeys.Split("", ["X"]));
        Assert.Equal("Invalid target '': expected 1 values for keys X, got 0", ex.Message);
    }
}
