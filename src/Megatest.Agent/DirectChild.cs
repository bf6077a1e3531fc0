using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Megatest.Agent;

/// <summary>
/// A program started without a shell by posix_spawn: standard output and error both into a log file (as
/// <c>&gt; LOG 2&gt;&amp;1</c>), standard input an empty pipe, every signal at its default and none blocked (as a
/// process .NET starts). The parent reaps it itself, so <see cref="Wait"/> must be called exactly once.
/// </summary>
internal sealed partial class DirectChild
{
    private const int OWronly = 0x1;
    private const int OCreat = 0x40;
    private const int OTrunc = 0x200;
    private const int OCloexec = 0x80000;
    private const uint ReadWriteAll = 0x1b6; // 0666 less the umask, as bash creates a redirection's file
    private const short SetSigDef = 0x04;
    private const short SetSigMask = 0x08;
    private const int PPid = 1;
    private const int WExited = 4;
    private const int WNoWait = 0x01000000;
    private const int EIntr = 4;

    // Generous upper bounds of glibc's opaque types (80, 336, 128 and 128 bytes on 64-bit Linux).
    private const int FileActionsSize = 256;
    private const int AttrSize = 1024;
    private const int SigSetSize = 256;
    private const int SigInfoSize = 256;

    private DirectChild(int pid) => Pid = pid;

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>
    /// Starts <paramref name="program"/> (a path, relative to <paramref name="workingDirectory"/> when not rooted) with
    /// <paramref name="argv"/> and <paramref name="environment"/> (NAME=value strings) in <paramref name="workingDirectory"/>,
    /// output to <paramref name="logFile"/>. Null when posix_spawn refuses (the caller then uses the shell, which
    /// reports the problem as it always did).
    /// </summary>
    public static DirectChild? TryStart(string program, string[] argv, string[] environment, string workingDirectory, string logFile)
    {
        var actions = Marshal.AllocHGlobal(FileActionsSize);
        var attr = Marshal.AllocHGlobal(AttrSize);
        var signals = Marshal.AllocHGlobal(SigSetSize);
        var fds = new int[2];
        var piped = false;
        try
        {
            if (posix_spawn_file_actions_init(actions) != 0)
            {
                return null;
            }

            if (posix_spawnattr_init(attr) != 0)
            {
                posix_spawn_file_actions_destroy(actions);
                return null;
            }

            try
            {
                if (pipe2(fds, OCloexec) != 0)
                {
                    return null;
                }

                piped = true;
                var ok = posix_spawn_file_actions_addchdir_np(actions, workingDirectory) == 0
                    && posix_spawn_file_actions_adddup2(actions, fds[0], 0) == 0
                    && posix_spawn_file_actions_addopen(actions, 1, logFile, OWronly | OCreat | OTrunc, ReadWriteAll) == 0
                    && posix_spawn_file_actions_adddup2(actions, 1, 2) == 0
                    && sigfillset(signals) == 0
                    && posix_spawnattr_setsigdefault(attr, signals) == 0
                    && sigemptyset(signals) == 0
                    && posix_spawnattr_setsigmask(attr, signals) == 0
                    && posix_spawnattr_setflags(attr, SetSigDef | SetSigMask) == 0;
                if (!ok)
                {
                    return null;
                }

                var args = new string?[argv.Length + 1];
                argv.CopyTo(args, 0);
                var env = new string?[environment.Length + 1];
                environment.CopyTo(env, 0);
                var path = Path.IsPathRooted(program) ? program : Path.Combine(workingDirectory, program);
                return posix_spawn(out var pid, path, actions, attr, args, env) == 0 ? new DirectChild(pid) : null;
            }
            finally
            {
                posix_spawnattr_destroy(attr);
                posix_spawn_file_actions_destroy(actions);
            }
        }
        finally
        {
            if (piped)
            {
                _ = close(fds[0]);
                _ = close(fds[1]); // the child sees end of input at once
            }

            Marshal.FreeHGlobal(signals);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(actions);
        }
    }

    /// <summary>
    /// Waits for the process to end, then runs <paramref name="beforeReap"/> while it is still a zombie (its pid cannot be
    /// reused, so a kill racing with its end cannot hit another process), then reaps it. Returns the exit status the way
    /// .NET and bash report it (a signal N gives 128 + N) and the signal, if any, with whether it dumped core.
    /// </summary>
    public (int Code, int Signal, bool Core) Wait(Action beforeReap)
    {
        ArgumentNullException.ThrowIfNull(beforeReap);
        var info = Marshal.AllocHGlobal(SigInfoSize);
        try
        {
            while (waitid(PPid, Pid, info, WExited | WNoWait) != 0)
            {
                if (Marshal.GetLastPInvokeError() != EIntr)
                {
                    break;
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal(info);
        }

        beforeReap();
        int status;
        while (waitpid(Pid, out status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw new Win32Exception(errno, $"waitpid({Pid}) failed: the exit status of a step is lost (is SIGCHLD ignored by megatest's parent?)");
            }
        }

        var signal = status & 0x7f;
        return signal == 0 ? ((status >> 8) & 0xff, 0, false) : (128 + signal, signal, (status & 0x80) != 0);
    }

    /// <summary>Kills the process and everything it started.</summary>
    public void KillTree()
    {
        try
        {
            using var p = Process.GetProcessById(Pid);
            p.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // it has ended meanwhile
        }
    }

    /// <summary>The C library's description of <paramref name="signal"/> ("Segmentation fault"), as bash prints it.</summary>
    public static string Describe(int signal) => Marshal.PtrToStringUTF8(strsignal(signal)) ?? $"Signal {signal}";

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr fileActions, IntPtr attr,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPUTF8Str)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPUTF8Str)] string?[] envp);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_init(IntPtr actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_destroy(IntPtr actions);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addchdir_np(IntPtr actions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_addopen(IntPtr actions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mode);

    [LibraryImport("libc")]
    private static partial int posix_spawn_file_actions_adddup2(IntPtr actions, int fd, int newFd);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_init(IntPtr attr);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_destroy(IntPtr attr);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setflags(IntPtr attr, short flags);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr signals);

    [LibraryImport("libc")]
    private static partial int posix_spawnattr_setsigmask(IntPtr attr, IntPtr signals);

    [LibraryImport("libc")]
    private static partial int sigfillset(IntPtr set);

    [LibraryImport("libc")]
    private static partial int sigemptyset(IntPtr set);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2([Out] int[] fds, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitid(int idType, int id, IntPtr info, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc")]
    private static partial IntPtr strsignal(int signal);
}
