#!/usr/bin/env bash
# Creates N network namespaces that stand for separate compute hosts, each joined by a veth pair to a bridge
# in the root namespace. Addresses come from a private /24 that exists only on this machine (no route leaves it).
#   tools/netns/setup.sh [N] [NAME] [SUBNET]      defaults: 3 mtns 10.213.77
# Namespaces NAME1..NAMEn get SUBNET.11.., the bridge NAMEbr gets SUBNET.1 (the address daemons in the root
# namespace bind to). Prints one "NAMESPACE ADDRESS" line per namespace. Needs root and iproute2.
set -euo pipefail
n=${1:-3}
name=${2:-mtns}
subnet=${3:-10.213.77}
bridge="${name}br"
command -v ip >/dev/null || { echo "setup.sh: 'ip' (iproute2) is not installed" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "setup.sh: must run as root" >&2; exit 2; }
[ ${#bridge} -le 15 ] || { echo "setup.sh: name '$name' is too long for interface names" >&2; exit 2; }

"$(dirname "$0")/teardown.sh" "$n" "$name" >/dev/null 2>&1 || true

ip link add "$bridge" type bridge
ip addr add "$subnet.1/24" dev "$bridge"
ip link set "$bridge" up
for i in $(seq 1 "$n"); do
  ns="$name$i"
  host="${name}h$i"
  peer="${name}n$i"
  ip netns add "$ns"
  ip link add "$host" type veth peer name "$peer"
  ip link set "$peer" netns "$ns"
  ip link set "$host" master "$bridge"
  ip link set "$host" up
  ip -n "$ns" addr add "$subnet.$((10 + i))/24" dev "$peer"
  ip -n "$ns" link set "$peer" up
  ip -n "$ns" link set lo up
  echo "$ns $subnet.$((10 + i))"
done
