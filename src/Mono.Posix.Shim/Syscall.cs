using System.Runtime.InteropServices;

namespace Mono.Unix.Native;

// Why this exists: NetMQ checks its socket's command mailbox before every frame it sends or receives, unless the CPU's
// time-stamp counter tells it that it checked less than a millisecond ago (libzmq's throttle). NetMQ reads that counter
// through a few bytes of machine code in a page it maps with Mono.Posix's mmap, which it looks up by reflection. On
// .NET there is no Mono.Posix, so the counter reads 0, and every frame costs a poll system call on the mailbox's
// signalling socket: about 4 µs of the db writer's 22 µs per status packet went into publishing changes, mostly
// those calls (issue #9). These are exactly the members NetMQ looks for (names, parameter types and results as in
// Mono.Posix); nothing else in Megatest uses them. Where they cannot give an executable page (other than x86/x64,
// or the mapping is refused), NetMQ falls back to what it did before: checking before every frame.

/// <summary>The memory protections NetMQ asks of <see cref="Syscall.mmap"/>.</summary>
[Flags]
#pragma warning disable CA1707, CA1714, CA1008, CA1028, CA1711, IDE1006 // Mono.Posix's names, looked up by NetMQ
public enum MmapProts
{
    /// <summary>Readable.</summary>
    PROT_READ = 0x1,

    /// <summary>Writable.</summary>
    PROT_WRITE = 0x2,

    /// <summary>Executable.</summary>
    PROT_EXEC = 0x4,
}

/// <summary>The mapping flags NetMQ asks of <see cref="Syscall.mmap"/>.</summary>
[Flags]
public enum MmapFlags
{
    /// <summary>Private to the process.</summary>
    MAP_PRIVATE = 0x02,

    /// <summary>Not backed by a file.</summary>
    MAP_ANONYMOUS = 0x20,
}

/// <summary>The host's machine name, as <c>uname -m</c> gives it.</summary>
public sealed class Utsname
{
    /// <summary>The machine architecture; NetMQ refuses to map its x86 code when this names an ARM machine.</summary>
    public string machine = "";
}

/// <summary>The system calls NetMQ makes through Mono.Posix.</summary>
public static partial class Syscall
{
    /// <summary>
    /// Maps anonymous memory; returns -1 (MAP_FAILED) when it cannot, and always on a processor other than x86/x64,
    /// because NetMQ would write x86 code into the page.
    /// </summary>
    public static IntPtr mmap(IntPtr start, ulong length, MmapProts prot, MmapFlags flags, int fd, long offset)
    {
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86))
        {
            return -1;
        }

        return Map(start, (nuint)length, (int)prot, (int)flags, fd, offset);
    }

    /// <summary>Unmaps memory mapped by <see cref="mmap"/>.</summary>
    public static int munmap(IntPtr start, ulong length) => Unmap(start, (nuint)length);

    /// <summary>The host's machine architecture (only the field NetMQ reads is filled).</summary>
    public static int uname(out Utsname buf)
    {
        buf = new Utsname
        {
            machine = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x86_64",
                Architecture.X86 => "i686",
                Architecture.Arm or Architecture.Armv6 => "arm",
                Architecture.Arm64 => "arm64",
                var other => other.ToString().ToLowerInvariant(),
            },
        };
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial IntPtr Map(IntPtr start, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(IntPtr start, nuint length);
}
#pragma warning restore CA1707, CA1714, CA1008, CA1028, CA1711, IDE1006
