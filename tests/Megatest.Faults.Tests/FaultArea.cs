namespace Megatest.Faults.Tests;

/// <summary>
/// The small area every scenario runs: dependencies, items and several outcomes. prep (PASS, test data) →
/// unit with items 1 2 3 (PASS, WARN from the log checker, FAIL) → final (its prerequisite failed); report waits
/// on prep only. Steps sleep a little so that faults land while tests run.
/// </summary>
public static class FaultArea
{
    /// <summary>Rows a run holds: prep, unit, unit/1..3, report, final.</summary>
    public const int Rows = 7;

    /// <summary>Writes the area into <paramref name="directory"/>; <paramref name="extraConfig"/> is appended to megatest.config.</summary>
    public static string Create(string directory, string extraConfig = "") =>
        Megatest.Integration.Tests.ScratchArea.Create(directory, "[setup]\nreruns 4\n\n" + extraConfig,
            ("prep", [
                ("testconfig", "[ezsteps]\nfetch bash fetch.sh\n"),
                ("fetch.sh", "sleep 0.4\necho fetched\n$MT_MEGATEST -set-values :category prep :variable size :value 12 :expected 12 :tol 0\n"),
            ]),
            ("unit", [
                ("testconfig", "[requirements]\nwaiton prep\n\n[items]\nN 1 2 3\n\n[ezsteps]\ncompile bash compile.sh\nlint bash lint.sh\n"),
                ("compile.sh", "sleep 0.3\n$MT_MEGATEST -set-values :category unit :variable score :value $((N * 10)) :expected 20 :tol 5\n"),
                ("lint.sh", "sleep 0.3\ncase $N in\n  2) echo 'warning: unused variable' ;;\n  3) echo 'error: does not build' ;;\n  *) echo clean ;;\nesac\n"),
                ("lint.logpro", "(expect:error   in \"LogFileBody\" = 0 \"no errors\"   #/error:/)\n(expect:warning in \"LogFileBody\" = 0 \"no warnings\" #/warning:/)\n"),
            ]),
            ("report", [
                ("testconfig", "[requirements]\nwaiton prep\n\n[ezsteps]\nsummarise bash summarise.sh\n"),
                ("summarise.sh", "sleep 0.3\n$MT_MEGATEST -set-values :category report :variable pages :value 3\n"),
            ]),
            ("final", [
                ("testconfig", "[requirements]\nwaiton unit\n\n[ezsteps]\nship bash ship.sh\n"),
                ("ship.sh", "echo shipped\n"),
            ]));
}
