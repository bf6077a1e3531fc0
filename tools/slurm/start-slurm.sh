#!/usr/bin/env bash
# Megatest for .NET: a single-node Slurm for CI and for trying the Slurm launcher (README "Slurm").
# Installs Debian's slurm-wlm and munge when missing, writes a one-node slurm.conf (node localhost,
# partition debug), starts munged, slurmctld and slurmd without systemd and waits until a job step runs.
# Run as root. Idempotent: healthy daemons are left alone; they are restarted only when slurm.conf changes.
#
# Environment knobs:
#   SLURM_JOBS_PER_CPU   jobs allowed per CPU (default 8: OverSubscribe=FORCE:N, so agent jobs and
#                        one-job-per-test runs are not limited to one job per core); 1 turns it off.
#   SLURM_READY_TIMEOUT  seconds to wait for the node to become idle (default 60).
#   SLURM_CPUS           CPUs the node declares (default: nproc).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

node=localhost
cpus=${SLURM_CPUS:-$(nproc)}
per_cpu=${SLURM_JOBS_PER_CPU:-8}
ready_timeout=${SLURM_READY_TIMEOUT:-60}
conf=/etc/slurm/slurm.conf
logs=/var/log/slurm

[ "$(id -u)" = 0 ] || { echo "start-slurm.sh: run as root" >&2; exit 1; }

have_all() { command -v slurmctld && command -v slurmd && command -v sbatch && command -v munged; } >/dev/null
if ! have_all; then
  # The packages' postinst scripts try to start services through invoke-rc.d; without systemd that
  # fails harmlessly and the daemons are started below.
  apt-get install -y --no-install-recommends slurm-wlm munge \
    || { apt-get update && apt-get install -y --no-install-recommends slurm-wlm munge; }
fi

# munge: a key, then the daemon as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
install -d -o munge -g munge -m 0755 /run/munge
munge_ok() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 100); do munge_ok && break; sleep 0.1; done
  munge_ok || { echo "start-slurm.sh: munged did not start" >&2; exit 1; }
fi

install -d -m 0755 /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$logs"
oversubscribe=""
if [ "$per_cpu" -gt 1 ]; then oversubscribe="OverSubscribe=FORCE:$per_cpu"; fi
candidate=$(mktemp)
trap 'rm -f "$candidate"' EXIT
cat > "$candidate" <<CONF
# Written by Megatest's tools/slurm/start-slurm.sh; rewritten when the script's settings change.
ClusterName=megatest
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$logs/jobcomp.log
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=30
KillWait=5
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP $oversubscribe
CONF

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop() {
  if alive "$1"; then
    local pid; pid=$(cat "$1"); kill "$pid"
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "start-slurm.sh: $pid ($1) did not stop" >&2; return 1
  fi
}
if ! cmp -s "$candidate" "$conf"; then
  stop /run/slurmd.pid
  stop /run/slurmctld.pid
  install -m 0644 "$candidate" "$conf"
fi
alive /run/slurmctld.pid || slurmctld
alive /run/slurmd.pid || slurmd -N "$node"

deadline=$(( $(date +%s) + ready_timeout ))
until [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ] || [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = mixed ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "start-slurm.sh: node not ready after ${ready_timeout}s" >&2
    sinfo -R >&2 || true
    tail -n 30 "$logs/slurmctld.log" "$logs/slurmd.log" >&2 || true
    exit 1
  fi
  sleep 0.2
done
timeout 30 srun -N1 -n1 true
echo "slurm ready: $(sinfo -h -o '%P %a %D %T %N %C')"
