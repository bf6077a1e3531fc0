using Megatest.Bench.Scale;

// Megatest.Bench.Scale run ITEMS SLOTS LIMIT_S          a run of ITEMS items (roles as child processes, simulated agent)
// Megatest.Bench.Scale listruns MEGATEST RUNS TESTS N   -list-runs timings on a database of RUNS x TESTS test rows
// Megatest.Bench.Scale dbwriter DB | coordinator AREA DBEP PUBEP   (role hosts, started by "run")
return args[0] switch
{
    "dbwriter" or "coordinator" => RoleHost.Run(args),
    "run" => ItemRun.Run(args),
    "listruns" => ListRuns.Run(args),
    _ => 2,
};
