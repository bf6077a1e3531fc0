using Megatest.Core;

namespace Megatest.Core.Tests;

public sealed class PathSafetyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("test_1.x")]
    public void TestName_Accepted(string name) => Assert.Null(PathSafety.TestNameProblem(name));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("/etc")]
    public void TestName_Refused(string name) => Assert.NotNull(PathSafety.TestNameProblem(name));

    [Theory]
    [InlineData("")]
    [InlineData("layout/ntran")]
    [InlineData("a..b/c")]
    public void ItemPath_Accepted(string path) => Assert.Null(PathSafety.ItemPathProblem(path));

    [Theory]
    [InlineData("../../etc")]
    [InlineData("a/../../b")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("./a")]
    public void ItemPath_Refused(string path) => Assert.NotNull(PathSafety.ItemPathProblem(path));
}
