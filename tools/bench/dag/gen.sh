#!/usr/bin/env bash
# Generates the DAG benchmark's area and the same DAG as a Makefile.
#   gen.sh GROUPS DIR   ->  DIR/area (a Megatest area) and DIR/make/Makefile
# Each group holds 100 executed tests: a root `gNN_a`, a fan-out of 95 tests `gNN_bMM` waiting on it,
# one itemized test `gNN_c` (3 items) waiting on it too, and a fan-in `gNN_z` waiting on all of them.
# Group g's root waits on group g-10's fan-in, so the groups form 10 chains. GROUPS=100 gives 10,000
# executed tests (10,100 test rows: each itemized test also has its toplevel row).
# Per-test work is the same on both sides: one step, `echo ok` written to STEP.log.
set -euo pipefail
GROUPS_N="$1"; DIR="$2"
AREA="$DIR/area"; MK="$DIR/make"
mkdir -p "$AREA/tests" "$AREA/runs" "$MK/out"
cat > "$AREA/megatest.config" <<'CFG'
[fields]
SYS TEXT

[setup]
linktree #{getenv MT_RUN_AREA_HOME}/links

[disks]
disk0 #{getenv MT_RUN_AREA_HOME}/runs
CFG
printf '[default]\n' > "$AREA/runconfigs.config"

awk -v G="$GROUPS_N" -v AREA="$AREA" -v MK="$MK/Makefile" '
function tc(name, waiton, items,   d, f) {
  d = AREA "/tests/" name
  f = d "/testconfig"
  if (waiton != "") printf "[requirements]\nwaiton %s\n\n", waiton > f
  if (items != "") printf "[items]\nN %s\n\n", items > f
  printf "[ezsteps]\nstep1 echo ok\n" > f
  close(f)
}
function rule(target, deps) {
  printf "%s:%s\n\t@echo ok > out/%s.step1.log\n", target, deps, target > MK
  all = all " " target
}
BEGIN {
  printf ".PHONY: all\nall: everything\n\n" > MK
  for (g = 0; g < G; g++) {
    p = sprintf("g%03d", g)
    prev = (g >= 10) ? sprintf("g%03d_z", g - 10) : ""
    dirs = AREA "/tests/" p "_a " AREA "/tests/" p "_c " AREA "/tests/" p "_z"
    for (j = 1; j <= 95; j++) dirs = dirs " " AREA "/tests/" sprintf("%s_b%02d", p, j)
    system("mkdir -p " dirs)
    tc(p "_a", prev, "")
    rule(p "_a", prev == "" ? "" : " " prev)
    zw = ""; zd = ""
    for (j = 1; j <= 95; j++) {
      b = sprintf("%s_b%02d", p, j)
      tc(b, p "_a", "")
      rule(b, " " p "_a")
      zw = zw " " b; zd = zd " " b
    }
    tc(p "_c", p "_a", "1 2 3")
    for (i = 1; i <= 3; i++) { rule(p "_c." i, " " p "_a"); zd = zd " " p "_c." i }
    tc(p "_z", substr(zw, 2) " " p "_c", "")
    rule(p "_z", zd)
  }
  printf ".PHONY:%s\neverything:%s\n", all, all > MK
}'
