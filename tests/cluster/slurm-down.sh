#!/usr/bin/env bash
# Stops the cluster slurm-up.sh started in DIR: exactly the processes whose
# pid files it wrote there, one after the other (slurmd, then slurmctld, then
# MUNGE, which the other two talk through), each given 10 s before SIGKILL.
set -uo pipefail
dir=${1:?usage: slurm-down.sh DIR}

# Alive and not a zombie (where nothing reaps orphans, as in some containers).
alive() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

for file in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -s "$file" ] || continue
  pid=$(cat "$file")
  # Only a process that is still one of the daemons (a pid may have been reused).
  alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qE "^(slurmd|slurmctld|munged) .*$dir" || continue
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && kill -9 "$pid" 2>/dev/null
done
exit 0
