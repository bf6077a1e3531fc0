using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Megatest.Dashboard.Tests;

/// <summary>One page of a <see cref="Chromium"/> browser: navigate, evaluate JavaScript, wait on the DOM, take screenshots.</summary>
public sealed class ChromiumPage
{
    private readonly Chromium _browser;
    private readonly string _sessionId;

    internal ChromiumPage(Chromium browser, string sessionId)
    {
        _browser = browser;
        _sessionId = sessionId;
    }

    /// <summary>Sends a DevTools command to this page.</summary>
    public Task<JsonNode> SendAsync(string method, JsonObject? parameters = null) => _browser.SendAsync(method, parameters, _sessionId);

    /// <summary>Navigates and waits until the document has loaded.</summary>
    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete'", TimeSpan.FromSeconds(30), "the page " + url + " to load");
    }

    /// <summary>Evaluates <paramref name="expression"/> (promises awaited) and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } ex)
        {
            throw new InvalidOperationException("JavaScript failed: " + expression + "\n" + ex.ToJsonString());
        }

        return result["result"]?["value"];
    }

    /// <summary>Evaluates to a string ("" for null).</summary>
    public async Task<string> TextAsync(string expression) => (await EvaluateAsync(expression))?.ToString() ?? "";

    /// <summary>Waits until <paramref name="condition"/> evaluates to true in the page; throws naming <paramref name="what"/> on time-out.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()");
            if (value?.GetValue<bool>() == true)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                var body = await TextAsync("document.body ? document.body.innerText.slice(0, 3000) : ''");
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. Page text:\n{body}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Writes a PNG screenshot of the page to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = false });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }
}
