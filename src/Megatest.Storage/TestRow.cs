namespace Megatest.Storage;

/// <summary>One row of the <c>tests</c> table: a test, an item of an itemized test, or an itemized test's toplevel record.</summary>
/// <param name="Id">The test id.</param>
/// <param name="RunId">The run the test belongs to.</param>
/// <param name="TestName">The test name (directory name under <c>tests/</c>).</param>
/// <param name="ItemPath">The item path; empty for plain tests and for toplevel records.</param>
/// <param name="State">Test state (NOT_STARTED, LAUNCHED, RUNNING, COMPLETED, …).</param>
/// <param name="Status">Test status (n/a, PASS, FAIL, …).</param>
/// <param name="Comment">Free text comment.</param>
/// <param name="Host">Host that ran the test, <c>n/a</c> before launch.</param>
/// <param name="Uname">uname of that host; <c>n/a</c> marks a never-started (toplevel) record.</param>
/// <param name="RunDir">The test's run directory.</param>
/// <param name="ShortDir">The test's run directory relative to the run area.</param>
/// <param name="EventTime">Start time (epoch seconds), set at LAUNCHED/REMOTEHOSTSTART.</param>
/// <param name="RunDuration">Run duration in seconds.</param>
/// <param name="FinalLogf">The test's main log, relative to its run directory.</param>
/// <param name="AttemptNum">Reused by Megatest to hold the pid of the running step.</param>
/// <param name="FailCount">Failed test_data rows (filled by the data rollup).</param>
/// <param name="PassCount">Passed test_data rows (filled by the data rollup).</param>
/// <param name="CpuLoad">Last sampled CPU load of the host.</param>
/// <param name="DiskFree">Last sampled free disk space.</param>
/// <param name="LastUpdate">Last modification, epoch seconds.</param>
public sealed record TestRow(
    long Id,
    long RunId,
    string TestName,
    string ItemPath,
    string State,
    string Status,
    string Comment,
    string Host,
    string Uname,
    string RunDir,
    string ShortDir,
    long EventTime,
    double RunDuration,
    string FinalLogf,
    long AttemptNum,
    long FailCount,
    long PassCount,
    double CpuLoad,
    double DiskFree,
    long LastUpdate);
