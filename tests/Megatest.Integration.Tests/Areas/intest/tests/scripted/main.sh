#!/usr/bin/env bash
# Reports its own steps, data and status through $MT_MEGATEST, as Megatest runscripts do.
set -e
$MT_MEGATEST -step build :state start :status n/a
echo "building for $TARGETOS" > build.log
$MT_MEGATEST -step build :state end :status 0 -setlog build.log
printf 'perf,speed,10.5,10,1,MB/s\nperf,latency,3,5,<=,ms\nperf,size,9,5,1,kB\n' | $MT_MEGATEST -load-test-data
$MT_MEGATEST -runstep compile -logpro compile.logpro bash -c 'echo compiled fine'
$MT_MEGATEST -set-values :category final :variable answer :value 42 :expected 42 :tol 0
$MT_MEGATEST -show-cmdinfo > cmdinfo.json
# AUTO rolls the test data up into pass_count/fail_count (the final status below is set explicitly).
$MT_MEGATEST -test-status :state RUNNING :status AUTO
$MT_MEGATEST -test-status :state COMPLETED :status PASS -m "scripted ok"
