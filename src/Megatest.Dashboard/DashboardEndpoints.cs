using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Megatest.Config;
using Megatest.Protocol;
using Megatest.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Megatest.Dashboard;

/// <summary>The HTTP routes of the dashboard: the app's assets, JSON queries, the event stream and the controls.</summary>
internal static class DashboardEndpoints
{
    private const int MaxFileBytes = 8 * 1024 * 1024;

    public static void Map(WebApplication app, DashboardServer server)
    {
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/colors.css", () => Results.Text(StateColors.Css(), "text/css"));
        app.MapGet("/api/info", () => Info(server));
        app.MapGet("/api/runs", (HttpRequest r) => WithDb(server, q =>
        {
            var runs = q.Runs(r.Query["target"], r.Query["runname"], Int(r, "limit", 20));
            var counts = q.RunCounts(runs.Select(x => x.Id).ToList());
            return Results.Json(runs.Select(x => DashboardJson.Run(x, counts.GetValueOrDefault(x.Id))), DashboardJson.Options);
        }));
        app.MapGet("/api/matrix", (HttpRequest r) => WithDb(server, q =>
        {
            var page = q.Matrix(Filter(r), r.Query["total"].FirstOrDefault() != "0");
            return Results.Json(new
            {
                total = page.TotalRows,
                rows = page.Rows.Select(x => new { test = x.TestName, item = x.ItemPath, items = x.ItemCount }),
                cells = page.Cells.Select(DashboardJson.Cell),
            }, DashboardJson.Options);
        }));
        app.MapGet("/api/matrix/total", (HttpRequest r) => WithDb(server, q => Results.Json(new { total = q.MatrixTotal(Filter(r)) }, DashboardJson.Options)));
        app.MapGet("/api/tests/{id:long}", (long id) => WithDb(server, q => TestDetail(q, id)));
        app.MapGet("/api/tests/{id:long}/files", (long id, HttpRequest r) => WithDb(server, q => Files(q, id, r.Query["path"].ToString())));
        app.MapGet("/api/tests/{id:long}/file", (long id, HttpRequest r) => WithDb(server, q => File(q, id, r.Query["path"].ToString())));
        app.MapGet("/api/compare", (HttpRequest r) => WithDb(server, q =>
        {
            var page = q.Compare(Int(r, "a", 0), Int(r, "b", 0), r.Query["verdict"].FirstOrDefault(), Int(r, "offset", 0), Int(r, "limit", 200));
            return Results.Json(new
            {
                counts = page.Counts,
                rows = page.Rows.Select(x => new { test = x.TestName, item = x.ItemPath, verdict = x.Verdict, a = x.A is null ? null : DashboardJson.Cell(x.A), b = x.B is null ? null : DashboardJson.Cell(x.B) }),
            }, DashboardJson.Options);
        }));
        app.MapGet("/api/timeline", (HttpRequest r) => WithDb(server, q =>
            Results.Json(q.Timeline(Int(r, "run", 0), Int(r, "limit", 2000)).Select(DashboardJson.Cell), DashboardJson.Options)));
        app.MapGet("/api/junit", (HttpRequest r) => WithDb(server, q =>
        {
            var run = q.GetRun(Int(r, "run", 0));
            if (run is null)
            {
                return Results.NotFound();
            }

            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            JUnitReport.Write(q, run, writer);
            return Results.Text(writer.ToString(), "application/xml");
        }));
        app.MapGet("/api/events", (HttpContext context) => Events(server, context));
        app.MapPost("/api/control", (Delegate)((HttpContext context) => Control(server, context)));
        app.MapPost("/api/waive", (Delegate)((HttpContext context) => Waive(server, context)));
    }

    private static MatrixFilter Filter(HttpRequest r) => new(
        Longs(r.Query["runs"]),
        r.Query["testpatt"].ToString(),
        List(r.Query["states"]),
        List(r.Query["statuses"]),
        r.Query["itemsof"].FirstOrDefault() is { Length: > 0 } of ? of : null,
        r.Query["sort"].FirstOrDefault() ?? "name",
        Int(r, "offset", 0),
        Int(r, "limit", 100));

    private static IResult Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("assets." + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        return Results.Bytes(memory.ToArray(), type);
    }

    private static IResult Info(DashboardServer server)
    {
        var keys = Array.Empty<string>();
        try
        {
            using var q = DashboardQueries.Open(server.Options.DatabasePath);
            keys = [.. q.KeyNames];
        }
        catch (StorageException)
        {
        }

        return Results.Json(new
        {
            area = server.Options.AreaPath,
            database = server.Options.DatabasePath,
            keys,
            live = server.Hub.Connected.IsCompleted && server.Options.PublishEndpoint.Length > 0,
            controls = server.Options.CoordinatorEndpoint.Length > 0,
            waivers = server.Options.DbWriterEndpoint.Length > 0,
            waiverPattern = WaiverPattern(server),
        }, DashboardJson.Options);
    }

    private static IResult WithDb(DashboardServer server, Func<DashboardQueries, IResult> query)
    {
        DashboardQueries q;
        try
        {
            q = DashboardQueries.Open(server.Options.DatabasePath);
        }
        catch (StorageException ex)
        {
            return Results.Json(new { error = ex.Message }, DashboardJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using (q)
        {
            return query(q);
        }
    }

    private static IResult TestDetail(DashboardQueries q, long id)
    {
        var test = q.GetTest(id);
        if (test is null)
        {
            return Results.NotFound(new { error = $"no test with id {id}" });
        }

        var run = q.GetRun(test.RunId);
        var meta = q.Meta(test.TestName);
        string? env = null;
        var envFile = Path.Combine(test.RunDir, "megatest.sh");
        if (System.IO.File.Exists(envFile))
        {
            env = ReadLimited(envFile, 256 * 1024);
        }

        return Results.Json(new
        {
            test = new
            {
                id = test.Id,
                run = test.RunId,
                test = test.TestName,
                item = test.ItemPath,
                state = test.State,
                status = test.Status,
                comment = test.Comment,
                host = test.Host,
                uname = test.Uname,
                runDir = test.RunDir,
                start = test.EventTime,
                dur = test.RunDuration,
                finalLog = test.FinalLogf,
                cpuLoad = test.CpuLoad,
                diskFree = test.DiskFree,
                lastUpdate = test.LastUpdate,
                cls = StateColors.ClassFor(test.State, test.Status),
                label = StateColors.LabelFor(test.State, test.Status),
            },
            run = run is null ? null : DashboardJson.Run(run, null),
            meta,
            steps = StepTable(q.Steps(id)),
            data = q.TestData(id),
            environment = env,
        }, DashboardJson.Options);
    }

    /// <summary>One line per step: start and end events joined.</summary>
    private static IEnumerable<object> StepTable(IReadOnlyList<StepRow> steps)
    {
        var order = new List<string>();
        var byName = new Dictionary<string, (StepRow? Start, StepRow? End)>(StringComparer.Ordinal);
        foreach (var s in steps)
        {
            if (!byName.TryGetValue(s.StepName, out var pair))
            {
                order.Add(s.StepName);
            }

            byName[s.StepName] = s.State == "start" ? (s, pair.End) : (pair.Start, s);
        }

        return order.Select(name =>
        {
            var (start, end) = byName[name];
            var log = end?.LogFile is { Length: > 0 } l ? l : start?.LogFile ?? "";
            return new
            {
                name,
                start = start?.EventTime ?? 0,
                end = end?.EventTime ?? 0,
                status = end?.Status ?? start?.Status ?? "",
                comment = end?.Comment ?? start?.Comment ?? "",
                log,
                result = end is null ? "running" : (end.Status is "0" or "PASS" ? "pass" : "fail"),
            };
        }).ToList();
    }

    private static IResult Files(DashboardQueries q, long id, string path)
    {
        var test = q.GetTest(id);
        if (test is null || Resolve(test.RunDir, path) is not { } dir || !Directory.Exists(dir))
        {
            return Results.NotFound(new { error = "no such directory in the test's run directory" });
        }

        var info = new DirectoryInfo(dir);
        var entries = info.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).Take(2000).Select(e => new
        {
            name = e.Name,
            path = Path.GetRelativePath(test.RunDir, e.FullName),
            dir = e is DirectoryInfo,
            size = e is FileInfo f ? f.Length : 0,
            modified = new DateTimeOffset(e.LastWriteTimeUtc).ToUnixTimeSeconds(),
        });
        return Results.Json(new { runDir = test.RunDir, path, entries }, DashboardJson.Options);
    }

    private static IResult File(DashboardQueries q, long id, string path)
    {
        var test = q.GetTest(id);
        if (test is null || Resolve(test.RunDir, path) is not { } file || !System.IO.File.Exists(file))
        {
            return Results.NotFound(new { error = "no such file in the test's run directory" });
        }

        var type = Path.GetExtension(file) is ".html" or ".htm" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
        return Results.Text(ReadLimited(file, MaxFileBytes), type);
    }

    /// <summary>A path inside <paramref name="root"/>, or null when <paramref name="relative"/> would leave it.</summary>
    internal static string? Resolve(string root, string relative)
    {
        if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(root))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(root, relative ?? ""));
        var top = Path.GetFullPath(root).TrimEnd('/');
        return full == top || full.StartsWith(top + "/", StringComparison.Ordinal) ? full : null;
    }

    private static string ReadLimited(string file, int max)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = (int)Math.Min(stream.Length, max);
        var buffer = new byte[length];
        stream.ReadExactly(buffer, 0, length);
        var text = System.Text.Encoding.UTF8.GetString(buffer);
        return stream.Length > max ? text + $"\n[… {stream.Length - max} more bytes not shown]" : text;
    }

    private static async Task Events(DashboardServer server, HttpContext context)
    {
        var client = server.Hub.Add(Longs(context.Request.Query["runs"]));
        try
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            // Stop with the browser or with the server, whichever goes first.
            using var both = CancellationTokenSource.CreateLinkedTokenSource(
                context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            var cancel = both.Token;
            var live = server.Options.PublishEndpoint.Length > 0;
            await context.Response.WriteAsync($"retry: 1000\nevent: hello\ndata: {{\"live\":{(live ? "true" : "false")}}}\n\n", cancel).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            var reader = client.Queue.Reader;
            while (!cancel.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                beat.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    await reader.WaitToReadAsync(beat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancel).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
                    continue;
                }

                while (reader.TryRead(out var text))
                {
                    await context.Response.WriteAsync(text, cancel).ConfigureAwait(false);
                }

                if (client.Overflowed)
                {
                    client.Overflowed = false;
                    await context.Response.WriteAsync("event: resync\ndata: {}\n\n", cancel).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
        catch (IOException)
        {
        }
        finally
        {
            server.Hub.Remove(client);
        }
    }

    private static async Task<IResult> Control(DashboardServer server, HttpContext context)
    {
        ControlForm? form;
        try
        {
            form = await JsonSerializer.DeserializeAsync<ControlForm>(context.Request.Body, DashboardJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new { accepted = false, reason = "bad request: " + ex.Message });
        }

        if (form is null || string.IsNullOrEmpty(form.Action))
        {
            return Results.BadRequest(new { accepted = false, reason = "bad request: no action" });
        }

        if (server.Options.CoordinatorEndpoint.Length == 0)
        {
            return Results.Json(new { accepted = false, reason = "no coordinator configured for this dashboard ([services] coordinator)" }, DashboardJson.Options);
        }

        var patt = string.IsNullOrWhiteSpace(form.TestPatt) ? "%" : form.TestPatt.Trim();
        IPacket packet = form.Action switch
        {
            "rerun" => new RunRequest
            {
                Target = form.Target,
                RunName = form.RunName,
                TestPatt = patt,
                Force = form.RerunStatuses is not { Length: > 0 },
                RerunStatuses = form.RerunStatuses ?? [],
                Owner = "dashboard",
            },
            "kill" => new KillRequest { Target = form.Target, RunName = form.RunName, TestPatt = patt },
            "clean" => new CleanRequest { Target = form.Target, RunName = form.RunName, TestPatt = patt, States = [], Statuses = [] },
            "archive" => new ArchiveRequest { Target = form.Target, RunName = form.RunName, TestPatt = patt, Mode = string.IsNullOrEmpty(form.Mode) ? "save" : form.Mode },
            _ => new StatusQuery(),
        };
        if (packet is StatusQuery)
        {
            return Results.BadRequest(new { accepted = false, reason = $"unknown action '{form.Action}' (rerun, kill, clean, archive)" });
        }

        var reply = await server.Packets.RequestAsync(server.Options.CoordinatorEndpoint, packet, server.Options.AckTimeout, context.RequestAborted).ConfigureAwait(false);
        return reply switch
        {
            ControlAck ack => Results.Json(new { accepted = ack.Accepted, reason = ack.Reason, runId = ack.RunId, packet = packet.Code.ToString() }, DashboardJson.Options),
            null => Results.Json(new { accepted = false, reason = $"no answer from the coordinator at {server.Options.CoordinatorEndpoint} within {server.Options.AckTimeout.TotalSeconds:0} s", packet = packet.Code.ToString() }, DashboardJson.Options),
            _ => Results.Json(new { accepted = false, reason = "unexpected answer " + reply.Code, packet = packet.Code.ToString() }, DashboardJson.Options),
        };
    }

    private static async Task<IResult> Waive(DashboardServer server, HttpContext context)
    {
        WaiveForm? form;
        try
        {
            form = await JsonSerializer.DeserializeAsync<WaiveForm>(context.Request.Body, DashboardJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new { ok = false, error = "bad request: " + ex.Message });
        }

        var comment = form?.Comment?.Trim() ?? "";
        if (form is null || form.TestId <= 0)
        {
            return Results.BadRequest(new { ok = false, error = "bad request: no test id" });
        }

        if (comment.Length == 0)
        {
            return Results.Json(new { ok = false, error = "WAIVED needs a comment saying why" }, DashboardJson.Options);
        }

        var pattern = WaiverPattern(server);
        if (pattern.Length > 0 && !Regex.IsMatch(comment, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return Results.Json(new { ok = false, error = $"the comment must match [setup] waivercommentpatt: {pattern}" }, DashboardJson.Options);
        }

        if (server.Options.DbWriterEndpoint.Length == 0)
        {
            return Results.Json(new { ok = false, error = "no db writer configured for this dashboard ([services] dbwriter)" }, DashboardJson.Options);
        }

        var change = new StatusChange { TestId = form.TestId, State = "COMPLETED", Status = "WAIVED", Comment = comment };
        var reply = await server.Packets.RequestAsync(server.Options.DbWriterEndpoint, change, server.Options.AckTimeout, context.RequestAborted).ConfigureAwait(false);
        return reply switch
        {
            Ack ack => Results.Json(new { ok = ack.Ok, error = ack.Error }, DashboardJson.Options),
            null => Results.Json(new { ok = false, error = $"no answer from the db writer at {server.Options.DbWriterEndpoint}" }, DashboardJson.Options),
            _ => Results.Json(new { ok = false, error = "unexpected answer " + reply.Code }, DashboardJson.Options),
        };
    }

    private static string WaiverPattern(DashboardServer server)
    {
        if (server.Options.AreaPath.Length == 0)
        {
            return "";
        }

        try
        {
            var area = AreaConfig.Load(server.Options.AreaPath, null, EnvironmentScope.FromProcess());
            return area.Megatest.Get("setup", "waivercommentpatt")?.Trim() ?? "";
        }
        catch (Exception ex) when (ex is ConfigException or AreaNotFoundException or IOException)
        {
            return "";
        }
    }

    private static int Int(HttpRequest r, string name, int fallback) =>
        int.TryParse(r.Query[name].FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static List<long> Longs(Microsoft.Extensions.Primitives.StringValues values) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0)];

    private static List<string> List(Microsoft.Extensions.Primitives.StringValues values) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
