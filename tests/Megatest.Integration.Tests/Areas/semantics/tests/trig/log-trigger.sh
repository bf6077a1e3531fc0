#!/usr/bin/env bash
# Records how a trigger was called: its label, then the test id, run directory and trigger key Megatest appends.
echo "$1|$2|$3|$4|$MT_TEST_NAME|$PWD" >> "$MT_RUN_AREA_HOME/triggers.log"
