#!/usr/bin/env bash
# Removes what setup.sh made: namespaces NAME1..NAMEn, their veth pairs and the bridge NAMEbr.
#   tools/netns/teardown.sh [N] [NAME]      defaults: 3 mtns
set -uo pipefail
n=${1:-3}
name=${2:-mtns}
for i in $(seq 1 "$n"); do
  ip netns del "$name$i" 2>/dev/null
  ip link del "${name}h$i" 2>/dev/null
done
ip link del "${name}br" 2>/dev/null
exit 0
