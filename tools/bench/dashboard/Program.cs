using System.Diagnostics;
using System.Globalization;
using Megatest.Bench.Dashboard;
using Megatest.Dashboard;
using Microsoft.Data.Sqlite;

// Megatest.Bench.Dashboard DIR [--small] [--repeat N]
// Builds DIR/megatest.db (1,000,000 test rows with one run of 100,000; --small: 100,000 and 10,000), serves it with
// DashboardServer and times the runs view's first page (the page, then its data requests) against plain SQLite
// reads of the same rows. Prints a Markdown report.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Megatest.Bench.Dashboard DIR [--small] [--repeat N]");
    return 2;
}

var dir = args[0];
var small = args.Contains("--small");
var repeat = args.SkipWhile(a => a != "--repeat").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(small ? 5 : 11);
long total = small ? 100_000 : 1_000_000;
var bigRun = small ? 10_000 : 100_000;
var otherRun = small ? 2_000 : 10_000;
Directory.CreateDirectory(dir);
var db = Path.Combine(dir, "megatest.db");
foreach (var f in new[] { db, db + "-wal", db + "-shm" })
{
    File.Delete(f);
}

Console.Error.WriteLine($"building {total:N0} test rows (big run {bigRun:N0})...");
var (bigRunId, buildSeconds) = BenchDatabase.Build(db, total, bigRun, otherRun);
Console.Error.WriteLine($"built in {buildSeconds:0.0} s");

await using var server = new DashboardServer(new DashboardOptions { DatabasePath = db });
await server.StartAsync();
using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

// The runs view's first page as the browser loads it: the page and its assets, then its data requests in order.
async Task<string> FirstPage(int columns, string extra, int offset = 0)
{
    await http.GetStringAsync("/");
    await Task.WhenAll(http.GetStringAsync("/assets/app.js"), http.GetStringAsync("/assets/app.css"), http.GetStringAsync("/colors.css"));
    await http.GetStringAsync("/api/info");
    var runs = await http.GetStringAsync($"/api/runs?limit={columns}");
    var ids = string.Join(",", System.Text.Json.JsonDocument.Parse(runs).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    return await http.GetStringAsync($"/api/matrix?runs={ids}&offset={offset}&limit=100&total=0{extra}");
}

// The pager's total, which the page asks for after it has rendered the rows.
async Task<string> Total(int columns)
{
    var runs = await http.GetStringAsync($"/api/runs?limit={columns}");
    var ids = string.Join(",", System.Text.Json.JsonDocument.Parse(runs).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    return await http.GetStringAsync($"/api/matrix/total?runs={ids}");
}

using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
sqlite.Open();
long Scalar(string sql)
{
    using var c = sqlite.CreateCommand();
    c.CommandText = sql;
    c.Parameters.AddWithValue("@run", bigRunId);
    return Convert.ToInt64(c.ExecuteScalar(), CultureInfo.InvariantCulture);
}

long ReadAll(string sql)
{
    using var c = sqlite.CreateCommand();
    c.CommandText = sql;
    c.Parameters.AddWithValue("@run", bigRunId);
    using var r = c.ExecuteReader();
    long n = 0;
    while (r.Read())
    {
        for (var i = 0; i < r.FieldCount; i++)
        {
            _ = r.GetValue(i);
        }

        n++;
    }

    return n;
}

var cases = new List<(string Name, string What, Func<Task> Action)>
{
    ("baseline: count", "`SELECT count(*) FROM tests WHERE run_id = big`", () => { Scalar("SELECT count(*) FROM tests WHERE run_id = @run"); return Task.CompletedTask; }),
    ("baseline: plain read", "`SELECT * FROM tests WHERE run_id = big` (every row of the run, read)", () => { ReadAll("SELECT * FROM tests WHERE run_id = @run"); return Task.CompletedTask; }),
    ("baseline: first 100", "`SELECT * … ORDER BY testname, item_path LIMIT 100`", () => { ReadAll("SELECT * FROM tests WHERE run_id = @run ORDER BY testname, item_path LIMIT 100"); return Task.CompletedTask; }),
    ("dashboard: first page, 1 run", "GET / + assets, /api/info, /api/runs?limit=1, /api/matrix (the first 100 rows of the big run with their cells)", () => FirstPage(1, "")),
    ("dashboard: first page, 8 runs", "as above with the default 8 run columns (big run + 7 others)", () => FirstPage(8, "")),
    ("dashboard: sorted by status", "first page, 1 run, sort=status (worst first: aggregates all rows)", () => FirstPage(1, "&sort=status")),
    ("dashboard: filtered FAIL", "first page, 1 run, statuses=FAIL", () => FirstPage(1, "&statuses=FAIL")),
    ("dashboard: middle page", $"the same requests for the page at offset {bigRun / 2:N0} of the big run", () => FirstPage(1, "", bigRun / 2)),
    ("pager total, 1 run", "/api/runs + /api/matrix/total, asked after the page has rendered", () => Total(1)),
    ("pager total, 8 runs", "the same over the 8 default run columns", () => Total(8)),
};

var rowsInRun = Scalar("SELECT count(*) FROM tests WHERE run_id = @run");
var results = new List<(string Name, string What, double First, double Median)>();
foreach (var (name, what, action) in cases)
{
    var times = new List<double>();
    for (var i = 0; i < repeat; i++)
    {
        var sw = Stopwatch.StartNew();
        await action();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }

    var sorted = times.OrderBy(x => x).ToList();
    results.Add((name, what, times[0], sorted[sorted.Count / 2]));
    Console.Error.WriteLine($"{name}: first {times[0]:0.0} ms, median {sorted[sorted.Count / 2]:0.0} ms");
}

var plain = results.Single(r => r.Name == "baseline: plain read").Median;
var count = results.Single(r => r.Name == "baseline: count").Median;
var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
Console.WriteLine($"""
# Dashboard scale benchmark

Generated by `tools/bench/dashboard/run.sh{(small ? " --small" : "")}` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.

- Machine: {Environment.ProcessorCount} cores, {model}
- Database: {total:N0} test rows in {Scalar("SELECT count(*) FROM runs"):N0} runs, built in {buildSeconds:0.0} s by raw bulk insert
  (schema by Megatest.Storage's migrator; no extra indexes: the schema's unique (run_id, testname, item_path) and rollup indexes serve the dashboard)
- The big run: {rowsInRun:N0} rows ({Scalar("SELECT count(*) FROM tests WHERE run_id = @run AND item_path = ''"):N0} tests and toplevels,
  {Scalar("SELECT count(*) FROM tests WHERE run_id = @run AND item_path <> ''"):N0} items), the newest run
- Timed: wall time of each case, {repeat} repetitions in one process; "first" is the first (cold) repetition
- Dashboard cases go over HTTP to a `DashboardServer` on loopback (Kestrel, one read-only connection per request)

| case | what | first ms | median ms | vs plain read | vs count(*) |
|---|---|---:|---:|---:|---:|
{string.Join("\n", results.Select(r => $"| {r.Name} | {r.What} | {r.First:0.0} | {r.Median:0.0} | {r.Median / plain:0.000} | {r.Median / count:0.0} |"))}

The "first page" cases are what the browser needs before it can draw the matrix; the pager's total is asked for
afterwards and fills in "page 1 of N" (a pass over every row of the shown runs).
"vs plain read" divides by the median of reading every row of the big run straight from SQLite: below 1 means
the page costs less than touching the run's rows once, because paging and aggregation happen in SQL.
"vs count(*)" divides by SQLite counting the run's rows on its index, the cheapest query that looks at the whole run.
""");
return 0;
