namespace Megatest.Cli;

/// <summary>The help text.</summary>
public static class Help
{
    /// <summary>Printed for -h and when no action is given.</summary>
    public const string Text = """
        megatest: a distributed regression-test and task-flow manager (Megatest-compatible)

        Run tests (in an area: a directory with megatest.config, or below one):
          -run -target K1/K2 -runname NAME [-testpatt PATT] [-tagexpr T] [--modepatt VAR]
               [-rerun STATUSES] [-force] [-preclean] [-setvars V=x,W=y] [-reqtarg K1/K2]
               [-no-follow]   (with a coordinator running: return right after its ack)
        Control (to the coordinator in megatest.config [services]; prints its ack):
          -kill-runs | -remove-runs | -rerun-clean | -archive MODE | -get-run-status
               [-target PATT] [-runname PATT] [-testpatt PATT]
        Data lifecycle (-archive MODE is save, save-remove, keep-html or restore; [archive-disks] in megatest.config):
          -reduce-records | -restore-records   [-target PATT] [-runname PATT]   (finished runs to/from completed-runs.db)
          -destination AREA|PATH [-target PATT] [-runname PATT]   (copy finished runs to an area with the same keys)
          -full-db   (with -list-runs, -list-db-targets: completed-runs.db too)
        Daemons (settings: [services], MEGATEST_NAME, --name value; stop with SIGTERM):
          megatest dbwriter | coordinator [--agent-timeout S]
          megatest agent [--slots N] [--labels HOSTTYPES] [--coordinator EP --dbwriter EP]
               [--idle-exit S] [--max-tests N]   (exit when idle for S seconds / after N tests: Slurm jobs)
               [--journal DIR]   (unacknowledged status packets survive the agent and are sent when it starts again)
          megatest monitor [-target PATT] [-runname PATT] [-testpatt PATT] [-dumpmode json] [--once]
          -migrate-home [-homehost HOST]   move the coordinator and db writer here when the area is quiet
               ([server] quiet-minutes, default 30); the area's .homehost names where they run
        Security ([services] security curve: CURVE on every link, clients checked against an allowlist):
          megatest keys create NAME [--no-allow] [--keys-dir DIR]   (NAME.key, NAME.key_secret 0600, authorized_keys)
          megatest keys list [--keys-dir DIR]
          daemons and clients: [services] keys-dir DIR, key NAME, server-key NAME (or --keys-dir, --key, --server-key)
        Queries:
          -list-runs RUNPATT [-target PATT] [-testpatt PATT] [-state S] [-status X] [-dumpmode json]
          -list-targets [-target PATT]      -list-db-targets      -show-keys      -list-disks
          -show-config [-section S -var V]  -show-runconfig -target T [-section S -var V]  [-dumpmode json]
        Log checker:
          -logpro RULEFILE [HTMLFILE] < input.log > annotated.log   (also installed as 'logpro')
        General:
          -start-dir DIR   -debug N   -version   -h
        """;
}
