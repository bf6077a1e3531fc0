using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>Debian's chromium, headless, driven over the Chrome DevTools protocol (one browser WebSocket, flat sessions per page).</summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDir _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiver;
    private int _nextId;

    private Chromium(Process process, TempDir profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The chromium executable (CHROMIUM overrides).</summary>
    public static string Executable => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";

    /// <summary>Starts a fresh headless browser and connects to it.</summary>
    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} not found: install Debian's chromium (apt-get install -y chromium chromium-driver), see .ci/run.");
        }

        var profile = new TempDir("chromium");
        var psi = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            "--user-data-dir=" + profile.Path, "--window-size=1400,1000", "about:blank",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Executable);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            var portFile = Path.Combine(profile.Path, "DevToolsActivePort");
            await Wait.UntilAsync(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2 || process.HasExited, TimeSpan.FromSeconds(30), "chromium's DevToolsActivePort");
            if (process.HasExited)
            {
                throw new InvalidOperationException("chromium exited at start with code " + process.ExitCode);
            }

            var lines = File.ReadAllLines(portFile);
            await browser._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            browser._receiver = Task.Run(browser.ReceiveLoop);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a page on <paramref name="url"/> in a new target and attaches to it.</summary>
    public async Task<ChromiumPage> OpenAsync(string url, int width = 1400, int height = 1000)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null);
        var page = new ChromiumPage(this, attached["sessionId"]!.GetValue<string>());
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
        await page.NavigateAsync(url);
        return page;
    }

    internal async Task<JsonNode> SendAsync(string method, JsonObject? parameters, string? sessionId, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }

        var answer = await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        }

        return answer["result"] ?? new JsonObject();
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                if (node?["id"] is { } idNode && _pending.TryRemove(idNode.GetValue<int>(), out var waiter))
                {
                    waiter.TrySetResult(node);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(new InvalidOperationException("the browser connection closed"));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException)
        {
        }

        if (_receiver is not null)
        {
            await _receiver.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        _profile.Dispose();
    }
}
