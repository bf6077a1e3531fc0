using System.Net;
using System.Text.Json;
using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>megatest dashboard: reads [services] from megatest.config, binds where asked, serves until cancelled.</summary>
public sealed class DashboardCommandTests
{
    [Fact]
    public async Task Run_ServesTheAreaWithItsServices_UntilCancelled()
    {
        await using var live = await LiveArea.StartAsync(Artifacts.LiveAreaSource);
        var config = Path.Combine(live.Path, "megatest.config");
        File.AppendAllText(config, $"\n[services]\ncoordinator {live.CoordinatorEndpoint}\ndbwriter {live.Server.Options.DbWriterEndpoint}\ndbwriter-publish {live.Server.Options.PublishEndpoint}\n");
        using var output = new StringWriter();
        var lines = TextWriter.Synchronized(output);
        using var cancel = new CancellationTokenSource();
        var verb = Task.Run(() => DashboardCommand.RunIn(live.Path, ["dashboard", "-bind", "127.0.0.1:0", "-token", "tok"], lines, cancel.Token));
        await Wait.UntilAsync(() => output.ToString().Contains("dashboard of ", StringComparison.Ordinal) || verb.IsCompleted, TimeSpan.FromSeconds(30), "the dashboard to start");
        var text = output.ToString();
        var url = text[(text.IndexOf(" on http", StringComparison.Ordinal) + 4)..].Trim();
        Assert.EndsWith("/?token=tok", url, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", text, StringComparison.Ordinal);

        using var http = new HttpClient();
        var root = url[..url.IndexOf("/?", StringComparison.Ordinal)];
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(root + "/api/info")).StatusCode);
        var info = JsonDocument.Parse(await http.GetStringAsync(root + "/api/info?token=tok")).RootElement;
        Assert.True(info.GetProperty("controls").GetBoolean());
        Assert.True(info.GetProperty("waivers").GetBoolean());
        Assert.Equal("^JIRA-[0-9]+", info.GetProperty("waiverPattern").GetString());

        cancel.Cancel();
        Assert.Equal(0, await verb.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Run_OutsideAnArea_OrWithBadArguments_Fails()
    {
        using var tmp = new TempDir("noarea");
        using var output = new StringWriter();
        Assert.Equal(1, DashboardCommand.RunIn(tmp.Path, ["dashboard"], output, CancellationToken.None));
        Assert.Equal(2, DashboardCommand.RunIn(tmp.Path, ["dashboard", "-colour", "red"], output, CancellationToken.None));
        Assert.Contains("Usage: megatest dashboard", output.ToString(), StringComparison.Ordinal);
    }
}
