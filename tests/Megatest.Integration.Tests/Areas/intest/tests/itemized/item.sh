#!/usr/bin/env bash
# Each item names the toplevel's log, comments on itself, passes and rebuilds the rollup page.
set -e
echo "summary" > toplog.html
$MT_MEGATEST -set-toplog toplog.html
$MT_MEGATEST -m "item $ITEM says hi"
$MT_MEGATEST -step check :state end :status odd-status
$MT_MEGATEST -test-status :state COMPLETED :status PASS
$MT_MEGATEST -summarize-items
