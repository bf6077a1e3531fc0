using System.Diagnostics;
using System.Globalization;
using Megatest.Testing;

namespace Megatest.Slurm.Tests;

/// <summary>
/// A real OpenSSH server on a free 127.0.0.1 port with a generated host key and one authorized client key
/// for the current user (root in CI). Dispose stops it.
/// </summary>
public sealed class LoopbackSshd : IDisposable
{
    private readonly Process _sshd;
    private readonly string _dir;

    private LoopbackSshd(Process sshd, string dir, int port)
    {
        _sshd = sshd;
        _dir = dir;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The client's private key.</summary>
    public string ClientKey => Path.Combine(_dir, "client_key");

    /// <summary>ssh arguments up to and including the destination; the remote command follows.</summary>
    public string[] SshArgs() =>
    [
        "-tt", "-p", Port.ToString(CultureInfo.InvariantCulture), "-i", ClientKey, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", Environment.UserName + "@127.0.0.1",
    ];

    /// <summary>Generates the keys and starts sshd; fails with what to install when OpenSSH is missing.</summary>
    public static async Task<LoopbackSshd> StartAsync(string dir)
    {
        Assert.True(File.Exists("/usr/sbin/sshd") && SlurmCluster.Run("ssh", "-V").Code == 0,
            "The ssh launcher test needs OpenSSH: apt-get install openssh-server openssh-client (CI does).");
        Directory.CreateDirectory(dir);
        foreach (var key in new[] { "host_key", "client_key" })
        {
            var (code, _, err) = SlurmCluster.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, key));
            Assert.True(code == 0, "ssh-keygen failed: " + err);
        }

        var authorized = Path.Combine(dir, "authorized_keys");
        File.Copy(Path.Combine(dir, "client_key.pub"), authorized);
        File.SetUnixFileMode(authorized, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory("/run/sshd"); // privilege separation directory sshd insists on
        var port = FreePorts.Take(1)[0];
        var psi = new ProcessStartInfo("/usr/sbin/sshd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
        {
            "-D", "-e", "-f", "/dev/null", "-p", port.ToString(CultureInfo.InvariantCulture), "-h", Path.Combine(dir, "host_key"),
            "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none", "-o", "AuthorizedKeysFile=" + authorized, "-o", "PermitRootLogin=prohibit-password",
            "-o", "StrictModes=no", "-o", "UsePAM=no", "-o", "PasswordAuthentication=no",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var sshd = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        sshd.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        sshd.BeginErrorReadLine();
        var server = new LoopbackSshd(sshd, dir, port);
        try
        {
            await Wait.UntilAsync(() => sshd.HasExited || SlurmCluster.Run("ssh", [.. server.SshArgs().Skip(1), "true"]).Code == 0, TimeSpan.FromSeconds(20), "sshd to accept a login");
            Assert.False(sshd.HasExited, "sshd exited: " + log);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_sshd.HasExited)
        {
            _sshd.Kill();
            _sshd.WaitForExit(5000);
        }

        _sshd.Dispose();
    }
}
