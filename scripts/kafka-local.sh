#!/usr/bin/env bash
# A real single-node Kafka broker (KRaft: broker and controller in one process) on 127.0.0.1, for trying
# loomcrawl's cluster mode on one machine and for its integration tests. Its classpath comes from Maven Central
# (org.apache.kafka:kafka_2.13, scripts/kafka/pom.xml); its data and log live in ${LOOMCRAWL_KAFKA_DIR:-/tmp}/loomcrawl-kafka-PORT.
#
#   scripts/kafka-local.sh start [PORT]   start a broker on PORT (9092), wait until it listens; exit 1 if it does not
#   scripts/kafka-local.sh stop [PORT]    stop it and delete its data
#
# The controller listens on PORT+1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/jdk.sh"
cmd=${1:-}
port=${2:-9092}
case "$cmd" in start|stop) ;; *) echo "usage: kafka-local.sh start|stop [PORT]" >&2; exit 2 ;; esac
case "$port" in ''|*[!0-9]*) echo "kafka-local.sh: the port must be a number, was: $port" >&2; exit 2 ;; esac
dir="${LOOMCRAWL_KAFKA_DIR:-/tmp}/loomcrawl-kafka-$port"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "$cmd" = stop ]; then
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
  exit 0
fi

if listening "$port"; then
  echo "kafka-local.sh: port $port is already in use" >&2
  exit 1
fi
cache="${HOME}/.cache/loomcrawl/kafka-classpath-4.3.1-$(cksum < "$ROOT/scripts/kafka/pom.xml" | cut -d" " -f1).txt"
if [ ! -s "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  mvn -B -q -ntp -f "$ROOT/scripts/kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cache.tmp" >&2
  mv "$cache.tmp" "$cache"
fi
rm -rf "$dir"
mkdir -p "$dir/data"
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$((port + 1))
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
group.initial.rebalance.delay.ms=0
share.coordinator.state.topic.replication.factor=1
auto.create.topics.enable=false
PROPS
cat > "$dir/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
PROPS
cp=$(cat "$cache")
heap="-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
"$JAVA_HOME/bin/java" $heap -cp "$cp" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool \
  format --config "$dir/server.properties" --cluster-id "$(printf 'loomcrawl%013d' "$port" | base64 | cut -c1-22 | tr '+/' '-_')" --standalone \
  > "$dir/format.log" 2>&1 || { echo "kafka-local.sh: formatting the broker's storage failed:" >&2; tail -5 "$dir/format.log" >&2; exit 1; }
nohup "$JAVA_HOME/bin/java" -Xmx1g -XX:+UseSerialGC -cp "$cp" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
  kafka.Kafka "$dir/server.properties" > "$dir/stdout.log" 2>&1 < /dev/null &
echo $! > "$dir/pid"
for _ in $(seq 1 600); do # ready when it says so, not when its port opens: it answers only after that
  if grep -q "Kafka Server started" "$dir/server.log" 2> /dev/null && listening "$port"; then
    echo "kafka-local.sh: broker on 127.0.0.1:$port (data in $dir)" >&2
    exit 0
  fi
  if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "kafka-local.sh: the broker exited; its log:" >&2
    tail -20 "$dir/stdout.log" "$dir/server.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "kafka-local.sh: the broker was not ready on $port within 60 s (see $dir)" >&2
exit 1
