using System.Diagnostics;
using Megatest.Testing;

namespace Megatest.Protocol.Tests;

/// <summary>
/// schemas/packets/README.md shows a Python client (pyzmq + msgpack) written from the contract alone. Its encoder must
/// produce the golden RunRequest frames of the current protocol, or a client written from the README talks an older
/// protocol: tools/protocol/check_readme_example.py runs the README's code block against the golden files.
/// </summary>
public sealed class ReadmeClientExampleTests
{
    [Fact]
    public async Task ReadmePythonClient_EncodesTheGoldenRunRequest_AndReadsEveryGoldenFile()
    {
        GoldenFiles.EnsureWritten();
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tools", "protocol", "check_readme_example.py"));
        using var p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);

        Assert.True(p.ExitCode == 0, $"check_readme_example.py exited {p.ExitCode}:\n{await stdout}\n{await stderr}");
        Assert.StartsWith("README example OK", await stdout, StringComparison.Ordinal);
    }
}
