namespace Megatest.Dashboard.Tests;

/// <summary>
/// The acceptance script in Debian's headless chromium: open the dashboard while an area runs, watch cells change
/// colour live, open the failed test and read its step log, press rerun and see the ack and the new state, waive,
/// compare two runs and look at the run times. A screenshot of each view is written to the artifacts folder.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    private const string SlowCell = "document.querySelector('td.cell[data-test=\"slow\"][data-item=\"\"]')";

    [Fact]
    public async Task Browser_FollowsARunLive_ReadsTheFailedStepLog_RerunsAndWaives()
    {
        await using var area = await LiveArea.StartAsync(Artifacts.LiveAreaSource);
        var run = area.Run("linux", "r1");
        var ack = await run.Ack.WaitAsync(s_wait);
        Assert.True(ack.Accepted, ack.Reason);

        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.OpenAsync(area.Server.Url + "/#/runs");
        await page.WaitForAsync(SlowCell + ".dataset.id", s_wait, "the slow test's cell");
        await page.EvaluateAsync(
            "window.__marker = 'not reloaded'; window.__seen = [];" +
            $"const rec = () => {{ const td = {SlowCell}; if (td) {{ const c = td.className.replace('cell ', ''); if (window.__seen[window.__seen.length - 1] !== c) window.__seen.push(c); }} }};" +
            "rec(); new MutationObserver(rec).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true }); true");

        // Live: the slow test goes through running colours to green without the page being reloaded.
        await page.WaitForAsync(SlowCell + ".classList.contains('c-running')", s_wait, "the slow test's cell to show RUNNING");
        await page.ScreenshotAsync(Artifacts.File("dashboard-runs-live.png"));
        await page.WaitForAsync(SlowCell + ".classList.contains('c-pass')", s_wait, "the slow test's cell to turn green");
        var seen = await page.TextAsync("window.__seen.join(' ')");
        Assert.Contains("c-running", seen, StringComparison.Ordinal);
        Assert.EndsWith("c-pass", seen, StringComparison.Ordinal);
        Assert.Equal("not reloaded", await page.TextAsync("window.__marker"));
        await page.WaitForAsync("document.querySelector('td.cell[data-test=\"broken\"][data-item=\"\"]').classList.contains('c-fail')", s_wait, "the broken test's cell to turn red");
        Assert.Equal("live", await page.TextAsync("document.querySelector('#live').textContent"));
        Assert.True(area.Server.LiveClients >= 1);

        // Items collapse and expand.
        await page.EvaluateAsync("document.querySelector('.toggle[data-test=\"unit\"]').click()");
        await page.WaitForAsync("document.querySelectorAll('td.cell[data-test=\"unit\"][data-item=\"parser\"], td.cell[data-test=\"unit\"][data-item=\"storage\"]').length === 2", s_wait, "the unit items");
        await page.WaitForAsync("[...document.querySelectorAll('td.cell[data-test=\"unit\"]')].every(td => td.classList.contains('c-pass'))", s_wait, "the unit items to pass");
        await page.ScreenshotAsync(Artifacts.File("dashboard-runs.png"));

        // The failed test: its step log.
        await page.EvaluateAsync("document.querySelector('td.cell[data-test=\"broken\"][data-item=\"\"] a').click()");
        await page.WaitForAsync("document.querySelector('#step-log') && document.querySelector('#step-log').textContent.includes('widget check failed')", s_wait, "the failed step's log");
        Assert.Equal("FAIL", await page.TextAsync("document.querySelector('#test-status').textContent"));
        Assert.Contains("check", await page.TextAsync("document.querySelector('#steps').innerText"), StringComparison.Ordinal);
        Assert.Contains("MT_TEST_NAME", await page.TextAsync("document.querySelector('#environment').textContent"), StringComparison.Ordinal);
        await page.WaitForAsync("document.querySelector('#files') && document.querySelector('#files').innerText.includes('check.log')", s_wait, "the run directory listing");
        await page.ScreenshotAsync(Artifacts.File("dashboard-test.png"));

        // Rerun once the run is over: the ack, then the new state arrives live.
        await run.Ended.WaitAsync(s_wait);
        await page.EvaluateAsync(
            "window.__states = []; const st = () => { const t = document.querySelector('#test-state').textContent; if (window.__states[window.__states.length - 1] !== t) window.__states.push(t); };" +
            "new MutationObserver(st).observe(document.querySelector('#test-state'), { subtree: true, childList: true, characterData: true }); true");
        await page.EvaluateAsync("document.querySelector('#btn-rerun').click()");
        await page.WaitForAsync("document.querySelector('#ack').dataset.accepted", s_wait, "the rerun's ack");
        var rerunAck = await page.TextAsync("document.querySelector('#ack').textContent");
        Assert.StartsWith("accepted:", rerunAck, StringComparison.Ordinal);
        Assert.Contains("RunRequest", rerunAck, StringComparison.Ordinal);
        await page.WaitForAsync("window.__states.some(s => s === 'LAUNCHED' || s === 'REMOTEHOSTSTART' || s === 'RUNNING') && window.__states[window.__states.length - 1] === 'COMPLETED'", s_wait, "the rerun to run and complete");
        Assert.Equal("FAIL", await page.TextAsync("document.querySelector('#test-status').textContent"));

        // WAIVED needs a comment matching waivercommentpatt.
        await page.EvaluateAsync("document.querySelector('#waive-comment').value = 'looks fine'; document.querySelector('#btn-waive').click()");
        await page.WaitForAsync("document.querySelector('#waive-ack').textContent.startsWith('refused')", s_wait, "the waiver to be refused");
        Assert.Contains("waivercommentpatt", await page.TextAsync("document.querySelector('#waive-ack').textContent"), StringComparison.Ordinal);
        await page.EvaluateAsync("document.querySelector('#waive-comment').value = 'JIRA-42 widget count is off by one'; document.querySelector('#btn-waive').click()");
        await page.WaitForAsync("document.querySelector('#test-status').textContent === 'WAIVED'", s_wait, "the test to show WAIVED");
        Assert.Equal("WAIVED", await page.TextAsync("document.querySelector('#waive-ack').textContent"));

        // A second run to compare with, and the run times.
        var second = area.Run("linux", "r2");
        Assert.True((await second.Ack.WaitAsync(s_wait)).Accepted);
        await second.Ended.WaitAsync(s_wait);
        await page.NavigateAsync(area.Server.Url + $"/#/compare?a={ack.RunId}&b={(await second.Ack).RunId}");
        await page.WaitForAsync("document.querySelector('#compare')", s_wait, "the comparison");
        Assert.Equal("1", await page.TextAsync("document.querySelector('b[data-verdict=\"worse\"]').textContent"));
        Assert.Contains("worse", await page.TextAsync("[...document.querySelectorAll('#compare tr')].find(tr => tr.innerText.startsWith('broken')).innerText"), StringComparison.Ordinal);
        await page.ScreenshotAsync(Artifacts.File("dashboard-compare.png"));

        await page.NavigateAsync(area.Server.Url + $"/#/timeline/{ack.RunId}");
        await page.WaitForAsync("document.querySelectorAll('#timeline .bar').length >= 4", s_wait, "the timeline bars");
        await page.ScreenshotAsync(Artifacts.File("dashboard-timeline.png"));
    }
}
