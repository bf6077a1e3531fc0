using System.Reflection;
using System.Runtime.InteropServices;
using NetMQ;

namespace Megatest.Protocol.Tests;

/// <summary>
/// src/Mono.Posix.Shim gives NetMQ the mmap it looks for on Unix, so that NetMQ reads the CPU's time-stamp counter and
/// checks a socket's command mailbox at most once a millisecond instead of with a system call before every frame. If
/// a NetMQ upgrade looks for other members, or the shim stops loading, NetMQ silently falls back to the slow path: this
/// is what notices.
/// </summary>
public sealed class MonoPosixShimTests
{
    [Fact]
    public void NetMQ_ReadsTheTimeStampCounter_OnThisX64Host()
    {
        Assert.Equal(Architecture.X64, RuntimeInformation.ProcessArchitecture);
        var clock = typeof(NetMQSocket).Assembly.GetType("NetMQ.Core.Utils.Clock", throwOnError: true)!;
        var rdtsc = clock.GetMethod("Rdtsc", BindingFlags.Public | BindingFlags.Static)!;
        var first = (long)rdtsc.Invoke(null, null)!;
        var second = (long)rdtsc.Invoke(null, null)!;
        Assert.NotEqual(0, first);
        Assert.True(second >= first, $"the counter went back: {first} then {second}");

        var posix = Assembly.Load("Mono.Posix");
        Assert.Equal(Path.GetDirectoryName(typeof(MonoPosixShimTests).Assembly.Location), Path.GetDirectoryName(posix.Location));
    }

    [Fact]
    public void Shim_NamesTheMachine_AndMapsAnExecutablePage()
    {
        var posix = Assembly.Load("Mono.Posix");
        var syscall = posix.GetType("Mono.Unix.Native.Syscall", throwOnError: true)!;
        object?[] args = [null];
        Assert.Equal(0, syscall.GetMethod("uname")!.Invoke(null, args));
        Assert.Equal("x86_64", posix.GetType("Mono.Unix.Native.Utsname")!.GetField("machine")!.GetValue(args[0]));

        var prots = posix.GetType("Mono.Unix.Native.MmapProts")!;
        var flags = posix.GetType("Mono.Unix.Native.MmapFlags")!;
        var page = (IntPtr)syscall.GetMethod("mmap")!.Invoke(null, [IntPtr.Zero, 4096UL, Enum.ToObject(prots, 7), Enum.ToObject(flags, 0x22), -1, 0])!;
        Assert.NotEqual(IntPtr.Zero, page);
        Assert.NotEqual((IntPtr)(-1), page);
        Assert.Equal(0, syscall.GetMethod("munmap")!.Invoke(null, [page, 4096UL]));
    }
}
