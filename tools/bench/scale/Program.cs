using Megatest.Bench.Scale;

// Megatest.Bench.Scale run ITEMS SLOTS LIMIT_S          a run of ITEMS items (roles as child processes, simulated agent)
// Megatest.Bench.Scale listruns MEGATEST RUNS TESTS N   -list-runs timings on a database of RUNS x TESTS test rows
// Megatest.Bench.Scale listruns-area DIR RUNS TESTS    that benchmark's area only, kept in DIR (for profiling)
// Megatest.Bench.Scale dbwriter DB | coordinator AREA DBEP PUBEP   (role hosts, started by "run")
return args[0] switch
{
    "dbwriter" or "coordinator" => RoleHost.Run(args),
    "run" => ItemRun.Run(args),
    "listruns" => ListRuns.Run(args),
    "listruns-area" => MakeListRunsArea(args),
    _ => 2,
};

static int MakeListRunsArea(string[] args)
{
    Directory.CreateDirectory(args[1]);
    var (area, _, _) = ListRuns.MakeArea(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    Console.WriteLine(area);
    return 0;
}
