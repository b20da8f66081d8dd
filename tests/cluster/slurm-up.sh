#!/usr/bin/env bash
# A one-node Slurm cluster in a folder of its own, for the tests:
#   eval "$(tests/cluster/slurm-up.sh DIR)"    # prints SLURM_CONF=...; export it
#   tests/cluster/slurm-down.sh DIR            # stops exactly what this started
# MUNGE (with a key generated here, on a socket in DIR) and Slurm's two
# daemons (one node, "localhost", with this machine's CPUs), state, spool,
# logs and pid files all in DIR. Waits until the node is idle. Needs
# slurm-wlm and munge (make setup) and, for slurmd, root.
set -euo pipefail
dir=${1:?usage: slurm-up.sh DIR}
# The daemons outlive this script: they must not hold the caller's descriptors
# beyond 0-2 (a caller that learns of this script's exit from one closing,
# as Foundation's Process does, would wait for the daemons instead).
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  [ "$fd" -gt 2 ] && [ "$fd" != 255 ] && eval "exec $fd>&-" 2>/dev/null || true
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
say() { echo "slurm-up: $*" >&2; }
for tool in munged mungekey slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { say "$tool not found: make setup installs slurm-wlm and munge"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "slurmd must run as root to start jobs as their users (uid $(id -u))"; exit 1; }
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"

# A port pair nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
ctld_port=$(free_port); slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

rm -f "$dir/munge/munge.key"
mungekey --create --keyfile "$dir/munge/munge.key" --bits 1024 >/dev/null
chmod 400 "$dir/munge/munge.key"
munged --force --socket "$dir/munge/munge.socket" --key-file "$dir/munge/munge.key" \
  --pid-file "$dir/munge/munged.pid" --log-file "$dir/log/munged.log" --seed-file "$dir/munge/munge.seed" </dev/null >/dev/null 2>&1

cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=ganprep-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i -f "$SLURM_CONF" </dev/null >>"$dir/log/slurmctld.out" 2>&1
slurmd -N localhost -f "$SLURM_CONF" </dev/null >>"$dir/log/slurmd.out" 2>&1
for _ in $(seq 150); do
  state=$(sinfo -h -n localhost -o %t 2>/dev/null || true)
  [ "$state" = idle ] && { echo "export SLURM_CONF=$SLURM_CONF"; exit 0; }
  sleep 0.2
done
say "the node did not become idle in 30 s (state: ${state:-none}); logs in $dir/log"
tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
exit 1
