using Megatest.Testing;

namespace Megatest.Agent.Tests;

/// <summary>Which ezstep commands run without bash (issue #9): only those whose meaning cannot depend on a shell.</summary>
public sealed class SimpleCommandTests : IDisposable
{
    private readonly TempDir _tmp = new("simplecmd");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("echo ok", new[] { "echo", "ok" })]
    [InlineData("  make   -j4\tall  ", new[] { "make", "-j4", "all" })]
    [InlineData("./run.sh a b", new[] { "./run.sh", "a", "b" })]
    [InlineData("/usr/bin/test -d foo", new[] { "/usr/bin/test", "-d", "foo" })]
    [InlineData("true", new[] { "true" })]
    [InlineData("echo -n a,b:c@d+e/f.g", new[] { "echo", "-n", "a,b:c@d+e/f.g" })]
    [InlineData("test -f bar", new[] { "test", "-f", "bar" })]
    public void Words_SimpleCommand_AreItsBlankSeparatedWords(string command, string[] words) =>
        Assert.Equal(words, SimpleCommand.Words(command));

    [Theory]
    [InlineData("echo ok > out")]
    [InlineData("echo ok 2>&1")]
    [InlineData("cat < in")]
    [InlineData("a | b")]
    [InlineData("a && b")]
    [InlineData("a; b")]
    [InlineData("sleep 1 &")]
    [InlineData("echo $HOME")]
    [InlineData("echo ${X}")]
    [InlineData("echo `date`")]
    [InlineData("echo $(date)")]
    [InlineData("echo 'quoted'")]
    [InlineData("echo \"quoted\"")]
    [InlineData("echo a\\ b")]
    [InlineData("ls *.log")]
    [InlineData("ls file?")]
    [InlineData("ls [ab]")]
    [InlineData("echo a # comment")]
    [InlineData("cd ~")]
    [InlineData("X=1 make")]
    [InlineData("echo {a,b}")]
    [InlineData("(echo a)")]
    [InlineData("echo a\necho b")]
    [InlineData("echo hi!")]
    [InlineData("kill %1")]
    public void Words_ShellSyntax_NeedsBash(string command) => Assert.Null(SimpleCommand.Words(command));

    [Theory]
    [InlineData("cd subdir")]
    [InlineData("exit 3")]
    [InlineData("exec sleep 1")]
    [InlineData("source env.sh")]
    [InlineData(". env.sh")]
    [InlineData("export A")]
    [InlineData("set -e")]
    [InlineData("ulimit -c 0")]
    [InlineData("umask 022")]
    [InlineData("pwd")] // bash prints the logical directory (through the link tree), /usr/bin/pwd the physical one
    [InlineData("type ls")]
    [InlineData("command ls")]
    [InlineData("read x")]
    [InlineData("wait")]
    [InlineData("time make")]
    [InlineData("if true")]
    [InlineData("while true")]
    [InlineData("function f")]
    [InlineData("kill 123")]
    [InlineData("env")] // bash passes the environment in its own order
    [InlineData("/usr/bin/printenv PATH")]
    [InlineData("echo --help")] // the builtin prints it, /usr/bin/echo prints its help
    [InlineData("true --version")]
    [InlineData("printf hello")] // the builtin's -v assigns a variable; not worth telling apart
    [InlineData("test -v HOME")] // bash-only operator
    [InlineData("test -o errexit")]
    [InlineData("test -d foo -a -f bar/baz")]
    [InlineData("")]
    [InlineData("   ")]
    public void Words_BuiltinOrKeyword_NeedsBash(string command) => Assert.Null(SimpleCommand.Words(command));

    [Theory]
    [InlineData("BASH_ENV", "/etc/profile")]
    [InlineData("ENV", "x")]
    [InlineData("SHELLOPTS", "xtrace")]
    [InlineData("BASHOPTS", "extglob")]
    [InlineData("POSIXLY_CORRECT", "1")]
    [InlineData("BASH_FUNC_make%%", "() { echo no; }")]
    [InlineData("not-a-name", "1")]
    [InlineData("1ABC", "1")]
    public void EnvironmentNeedsShell_WhenBashWouldActOnIt(string name, string value) =>
        Assert.True(SimpleCommand.EnvironmentNeedsShell([new("PATH", "/usr/bin"), new(name, value)]));

    [Fact]
    public void EnvironmentNeedsShell_NotForOrdinaryVariables() =>
        Assert.False(SimpleCommand.EnvironmentNeedsShell([new("PATH", "/usr/bin:/bin"), new("MT_TEST_NAME", "a"), new("_x1", "")]));

    [Fact]
    public void Resolve_TakesTheFirstExecutableOnPath_AsBashNamesIt()
    {
        var a = Dir("a");
        var b = Dir("b");
        Write(Path.Combine(a, "tool"), "#!/bin/sh\n", executable: false); // not executable: skipped, as bash does
        Write(Path.Combine(b, "tool"), "#!/bin/sh\n", executable: true);
        Assert.Equal(b + "/tool", SimpleCommand.Resolve("tool", $"{a}:{b}", _tmp.Path));
    }

    [Fact]
    public void Resolve_RelativeAndEmptyPathEntries_AreTheWorkingDirectory()
    {
        var work = Dir("work");
        Write(Path.Combine(work, "here"), "#!/bin/sh\n", executable: true);
        Assert.Equal("./here", SimpleCommand.Resolve("here", "/nonexistent:.", work));
        Assert.Equal("./here", SimpleCommand.Resolve("here", "/nonexistent:", work));
        Assert.Equal("./here", SimpleCommand.Resolve("./here", "/nonexistent", work));
    }

    [Fact]
    public void Resolve_FileBashWouldRunAsAScript_OrMissing_IsLeftToBash()
    {
        var work = Dir("plain");
        Write(Path.Combine(work, "noshebang"), "echo hi\n", executable: true);
        Assert.Null(SimpleCommand.Resolve("noshebang", work, work));
        Assert.Null(SimpleCommand.Resolve("./noshebang", "/usr/bin", work));
        Assert.Null(SimpleCommand.Resolve("no-such-program-anywhere", "/usr/bin:/bin", work));
        Assert.Null(SimpleCommand.Resolve("./missing", "/usr/bin", work));
    }

    [Fact]
    public void Resolve_SystemProgram_IsFound() =>
        Assert.Equal("/usr/bin/echo", SimpleCommand.Resolve("echo", "/nonexistent:/usr/bin:/bin", _tmp.Path));

    private string Dir(string name)
    {
        var dir = Path.Combine(_tmp.Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Write(string file, string text, bool executable)
    {
        File.WriteAllText(file, text);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | (executable ? UnixFileMode.UserExecute : 0));
    }
}
