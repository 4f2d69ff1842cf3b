#!/usr/bin/env bash
# The cluster mode's benchmarks (docs/benchmarks.md, "Many machines"): scale-out over 1, 2 and 4 workers on a
# latency-bound list, and failover time after a SIGKILL. Everything on 127.0.0.1: 40 generated sites, each served
# by the shared kit's latency_server.py (50 ms per response), a broker from scripts/kafka-local.sh, and workers as
# separate processes of the built CLI jar. Prints one line per measurement.
#
#   loomcrawl-bench/cluster_bench.sh [SITES] [PAGES] [WORKER_CONCURRENCY]     (40 150 16)
#   WORKERS="1 2 4" (the scale-out cases), FAILOVER=yes|no
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/jdk.sh"
SHARED=${SHARED:-$ROOT/../shared}
SITES=${1:-40}
PAGES=${2:-150}
CONC=${3:-16}
PORT=19392
WORK=$(mktemp -d /tmp/loomcrawl-cluster-bench.XXXX)
JAR="$ROOT/loomcrawl-cli/target/loomcrawl.jar"
JAVA="$JAVA_HOME/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.library.path=$ROOT/loomcrawl-cli/target/native -jar $JAR"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  LOOMCRAWL_KAFKA_DIR=$WORK "$ROOT/scripts/kafka-local.sh" stop $PORT
  wait 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

: > "$WORK/sites.txt"
for i in $(seq 1 "$SITES"); do
  port=$((18400 + i))
  python3 "$SHARED/bench/gensite.py" "$WORK/site$i" --pages "$PAGES" --seed "$i" --base "http://127.0.0.1:$port" \
    --min-kb 2 --max-kb 6 > /dev/null
  python3 "$SHARED/bench/latency_server.py" "$WORK/site$i" --port "$port" --delay-ms 50 2> /dev/null &
  pids+=($!)
  echo "http://127.0.0.1:$port/" >> "$WORK/sites.txt"
done
LOOMCRAWL_KAFKA_DIR=$WORK "$ROOT/scripts/kafka-local.sh" start $PORT
sleep 1

stamp() { while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }

start_worker() { # TOPICS LOG
  $JAVA worker --kafka 127.0.0.1:$PORT --topics "$1" --concurrency "$CONC" 2>&1 | stamp > "$2" &
  pids+=($!)
}

echo "machine: $(nproc) cores; $SITES sites x $PAGES pages at 50 ms; each worker --concurrency $CONC (--per-host 4)"
for workers in ${WORKERS:-1 2 4}; do
  topics="scale$workers"
  $JAVA results --kafka 127.0.0.1:$PORT --topics "$topics" -q > /dev/null  # creates the topics (48 partitions)
  for w in $(seq 1 "$workers"); do start_worker "$topics" "$WORK/$topics-w$w.log"; done
  until [ "$(cat "$WORK/$topics"-w*.log | grep -c 'assigned partitions')" -ge "$workers" ]; do sleep 0.2; done
  sleep 4 # the group settles: every worker holds its share before the clock starts
  t0=$(date +%s.%N)
  $JAVA submit --kafka 127.0.0.1:$PORT --topics "$topics" --sites "$WORK/sites.txt" > /dev/null 2>&1
  $JAVA results --kafka 127.0.0.1:$PORT --topics "$topics" --wait --format text > "$WORK/$topics.txt" 2> "$WORK/$topics.err"
  t1=$(date +%s.%N)
  n=$(wc -l < "$WORK/$topics.txt")
  shares=$(for w in $(seq 1 "$workers"); do grep -c ' done: ' "$WORK/$topics-w$w.log" || true; done | paste -sd/)
  echo "scale-out: $workers worker(s): $n pages in $(echo "$t1 - $t0" | bc -l | cut -c1-6) s, $(echo "$n / ($t1 - $t0)" | bc -l | cut -c1-6) pages/s; sites per worker $shares"
  pkill -TERM -f "worker --kafka 127.0.0.1:$PORT --topics $topics" || true
  sleep 3
done

[ "${FAILOVER:-yes}" = yes ] || exit 0

# failover: two workers, one killed mid-run; the time until the survivor owns its partitions, and until a site
# taken over is done
topics=failover
$JAVA results --kafka 127.0.0.1:$PORT --topics "$topics" -q > /dev/null
start_worker "$topics" "$WORK/f-w1.log"
start_worker "$topics" "$WORK/f-w2.log"
until [ "$(cat "$WORK"/f-w*.log | grep -c 'assigned partitions')" -ge 2 ]; do sleep 0.2; done
sleep 4
$JAVA submit --kafka 127.0.0.1:$PORT --topics "$topics" --sites "$WORK/sites.txt" > /dev/null 2>&1
until [ "$(grep -c ' done: ' "$WORK/f-w1.log" || true)" -ge 3 ]; do sleep 0.1; done
victim=$(grep -o 'worker [0-9]*@' "$WORK/f-w1.log" | head -1 | grep -o '[0-9]*')
tk=$(date +%s.%N)
kill -9 "$victim"
$JAVA results --kafka 127.0.0.1:$PORT --topics "$topics" --wait --format text > "$WORK/f.txt" 2> "$WORK/f.err"
ta=$(awk -v k="$tk" '$1 > k && /assigned partitions/ {print $1; exit}' "$WORK/f-w2.log")
tr=$(awk -v k="$tk" '$1 > k && / done: / && !/\(0 recalled\)/ {print $1; exit}' "$WORK/f-w2.log")
echo "failover: partitions moved $(echo "$ta - $tk" | bc -l | cut -c1-5) s after the SIGKILL; first site taken over done $(echo "${tr:-$ta} - $tk" | bc -l | cut -c1-5) s after; $(wc -l < "$WORK/f.txt") pages in all; $(grep -h 'done: ' "$WORK/f-w2.log" | awk -v k="$tk" '$1 > k' | grep -vc '(0 recalled)') sites resumed with recalled pages"
