using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Megatest.Storage;

namespace Megatest.Dashboard.Tests;

/// <summary>The dashboard's HTTP API over a live area: paged and filtered matrix, event stream, controls, waivers, files, access.</summary>
public sealed class DashboardApiTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private static async Task<JsonElement> Json(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, url + ": " + response.StatusCode + " " + await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static HttpClient Client(LiveArea area)
    {
        var http = new HttpClient { BaseAddress = new Uri(area.Server.Url), Timeout = s_wait };
        http.DefaultRequestHeaders.Add("X-Megatest", "1");
        return http;
    }

    [Fact]
    public async Task EventStream_PushesEveryChangeOfTheRun_AndTheMatrixPagesAndFilters()
    {
        await using var area = await LiveArea.StartAsync(Artifacts.LiveAreaSource);
        using var http = Client(area);

        // Follow the stream before the run starts; it must carry the run from registration to the end.
        using var stream = await http.GetStreamAsync("/api/events");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("retry: 1000", await reader.ReadLineAsync().WaitAsync(s_wait));
        var run = area.Run("linux", "r1");
        var runId = (await run.Ack.WaitAsync(s_wait)).RunId;
        var finalStates = new Dictionary<string, string>();
        using var cancel = new CancellationTokenSource(s_wait);
        while (!(finalStates.GetValueOrDefault("slow/") == "COMPLETED/PASS" && finalStates.GetValueOrDefault("broken/") == "COMPLETED/FAIL"
            && finalStates.GetValueOrDefault("unit/storage") == "COMPLETED/PASS" && finalStates.GetValueOrDefault("unit/parser") == "COMPLETED/PASS"))
        {
            var line = await reader.ReadLineAsync(cancel.Token);
            if (line is not null && line.StartsWith("data: {\"id\"", StringComparison.Ordinal))
            {
                var cell = JsonDocument.Parse(line[6..]).RootElement;
                if (cell.TryGetProperty("test", out var test))
                {
                    Assert.Equal(runId, cell.GetProperty("run").GetInt64());
                    finalStates[test.GetString() + "/" + cell.GetProperty("item").GetString()] = cell.GetProperty("state").GetString() + "/" + cell.GetProperty("status").GetString();
                }
            }
        }

        await run.Ended.WaitAsync(s_wait);
        var runs = await Json(http, "/api/runs");
        Assert.Equal(runId, runs[0].GetProperty("id").GetInt64());
        Assert.Equal(1, runs[0].GetProperty("counts").GetProperty("COMPLETED/FAIL").GetInt64());

        var page = await Json(http, $"/api/matrix?runs={runId}&limit=2");
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        Assert.Equal(["broken", "slow"], page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("test").GetString()));
        var next = await Json(http, $"/api/matrix?runs={runId}&limit=2&offset=2");
        var unit = Assert.Single(next.GetProperty("rows").EnumerateArray());
        Assert.Equal(2, unit.GetProperty("items").GetInt64());

        var failed = await Json(http, $"/api/matrix?runs={runId}&statuses=FAIL");
        Assert.Equal("broken", Assert.Single(failed.GetProperty("rows").EnumerateArray()).GetProperty("test").GetString());
        Assert.Equal("c-fail", Assert.Single(failed.GetProperty("cells").EnumerateArray()).GetProperty("cls").GetString());
        var byPattern = await Json(http, $"/api/matrix?runs={runId}&testpatt=unit/stor%25&itemsof=unit");
        Assert.Equal("storage", Assert.Single(byPattern.GetProperty("rows").EnumerateArray()).GetProperty("item").GetString());
        var excluded = await Json(http, $"/api/matrix?runs={runId}&testpatt=%25,~slow&sort=-name");
        Assert.Equal(["unit", "broken"], excluded.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("test").GetString()));
        var worst = await Json(http, $"/api/matrix?runs={runId}&sort=status");
        Assert.Equal("broken", worst.GetProperty("rows")[0].GetProperty("test").GetString());

        // Test view data: steps with logs, test data with tolerances, the run directory.
        using var q = DashboardQueries.Open(area.DatabasePath);
        var parser = q.Tests(runId).Single(t => t.TestName == "unit" && t.ItemPath == "parser");
        var detail = await Json(http, $"/api/tests/{parser.Id}");
        var data = detail.GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(data, d => d.GetProperty("value").GetString() == "42" && d.GetProperty("expected").GetString() == "42" && d.GetProperty("tol").GetString() == "0");
        var step = Assert.Single(detail.GetProperty("steps").EnumerateArray());
        Assert.Equal("run.html", step.GetProperty("log").GetString());
        var html = await http.GetStringAsync($"/api/tests/{parser.Id}/file?path=run.html");
        Assert.Contains("42 tests passed", html, StringComparison.Ordinal);
        var files = await Json(http, $"/api/tests/{parser.Id}/files");
        Assert.Contains(files.GetProperty("entries").EnumerateArray(), e => e.GetProperty("name").GetString() == "megatest.sh");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/tests/{parser.Id}/file?path=../../../../../../etc/passwd")).StatusCode);

        var junit = await http.GetStringAsync($"/api/junit?run={runId}");
        Assert.Contains("<testsuite name=\"broken\"", junit, StringComparison.Ordinal);
        Assert.Contains("run-junit", await http.GetStringAsync("/assets/app.js"), StringComparison.Ordinal);

        var timeline = await Json(http, $"/api/timeline?run={runId}");
        Assert.Equal(4, timeline.GetArrayLength());
    }

    [Fact]
    public async Task Controls_DropPacketsAndReturnTheAck_WaiverNeedsAMatchingComment()
    {
        await using var area = await LiveArea.StartAsync(Artifacts.LiveAreaSource);
        using var http = Client(area);
        var run = area.Run("linux", "r1", "broken");
        var runId = (await run.Ack.WaitAsync(s_wait)).RunId;
        await run.Ended.WaitAsync(s_wait);

        async Task<JsonElement> Post(string url, object body)
        {
            var response = await http.PostAsJsonAsync(url, body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        var kill = await Post("/api/control", new { action = "kill", target = "linux", runName = "r1", testPatt = "%" });
        Assert.True(kill.GetProperty("accepted").GetBoolean());
        Assert.Equal("KillRequest", kill.GetProperty("packet").GetString());
        Assert.Contains("kill sent", kill.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Whatever the coordinator answers to clean/archive is shown as it is.
        foreach (var action in new[] { "clean", "archive" })
        {
            var ack = await Post("/api/control", new { action, target = "linux", runName = "r1", testPatt = "no-such-test" });
            Assert.False(string.IsNullOrEmpty(ack.GetProperty("reason").GetString()));
            Assert.EndsWith("Request", ack.GetProperty("packet").GetString(), StringComparison.Ordinal);
        }

        var unknown = await http.PostAsJsonAsync("/api/control", new { action = "explode" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        using var q = DashboardQueries.Open(area.DatabasePath);
        var broken = q.Tests(runId).Single(t => t.TestName == "broken");
        var empty = await Post("/api/waive", new { testId = broken.Id, comment = " " });
        Assert.False(empty.GetProperty("ok").GetBoolean());
        var wrong = await Post("/api/waive", new { testId = broken.Id, comment = "fine by me" });
        Assert.Contains("waivercommentpatt", wrong.GetProperty("error").GetString(), StringComparison.Ordinal);
        var waived = await Post("/api/waive", new { testId = broken.Id, comment = "JIRA-7 accepted" });
        Assert.True(waived.GetProperty("ok").GetBoolean(), waived.GetProperty("error").GetString());
        await Megatest.Testing.Wait.UntilAsync(() =>
        {
            using var fresh = DashboardQueries.Open(area.DatabasePath);
            return fresh.GetTest(broken.Id) is { State: "COMPLETED", Status: "WAIVED", Comment: "JIRA-7 accepted" };
        }, s_wait, "the waiver in the database");

        // Rerun last: it runs the test again (and so overwrites the waiver).
        var rerun = await Post("/api/control", new { action = "rerun", target = "linux", runName = "r1", testPatt = "broken" });
        Assert.True(rerun.GetProperty("accepted").GetBoolean(), rerun.GetProperty("reason").GetString());
        Assert.Equal(runId, rerun.GetProperty("runId").GetInt64());

        // Cross-site posts without the header are refused.
        using var bare = new HttpClient { BaseAddress = new Uri(area.Server.Url) };
        Assert.Equal(HttpStatusCode.Forbidden, (await bare.PostAsJsonAsync("/api/waive", new { testId = broken.Id, comment = "JIRA-1" })).StatusCode);
    }

    [Fact]
    public async Task Token_IsRequiredWhenSet_AndRememberedInACookie()
    {
        await using var area = await LiveArea.StartAsync(Artifacts.LiveAreaSource, o => new DashboardOptions
        {
            AreaPath = o.AreaPath,
            DatabasePath = o.DatabasePath,
            CoordinatorEndpoint = o.CoordinatorEndpoint,
            DbWriterEndpoint = o.DbWriterEndpoint,
            PublishEndpoint = o.PublishEndpoint,
            Token = "s3cret",
        });
        using var handler = new HttpClientHandler { UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(area.Server.Url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/info")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/?token=s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/info")).StatusCode);
        using var bearer = new HttpClient { BaseAddress = new Uri(area.Server.Url) };
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/assets/app.js")).StatusCode);
    }

    [Fact]
    public void NonLoopbackBind_WithoutToken_GetsAGeneratedToken()
    {
        using var open = new DashboardServer(new DashboardOptions { DatabasePath = "x.db", Urls = "http://127.0.0.1:0" });
        Assert.Equal("", open.Token);
        using var exposed = new DashboardServer(new DashboardOptions { DatabasePath = "x.db", Urls = "http://0.0.0.0:0" });
        Assert.Equal(32, exposed.Token.Length);
        Assert.Equal("http://0.0.0.0:8080", DashboardCommand.ToUrl("0.0.0.0:8080"));
        Assert.Equal("http://[::1]:9000", DashboardCommand.ToUrl("::1:9000"));
    }
}
