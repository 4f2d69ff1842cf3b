#!/usr/bin/env bash
# Benchmark (b) against a server that adds the latency without capping throughput: nginx with the echo module
# (Debian: nginx-light libnginx-mod-http-echo) sleeps LATENCY_MS before serving each file, on 2 workers.
# The shared Python latency server caps near 1,170 responses/s at 64 in flight (see docs/benchmarks.md).
#   loomcrawl-bench/latency_nginx.sh SITE_DIR TRUTH.json [PORT] [LATENCY_MS] [CONCURRENCY] [REPS]
# KEEP_LOG=FILE keeps the last run's access log there, for timeline.py.
# Prints per run: wall time of the whole loomcrawl process, the server's first-to-last request span, and the
# ground-truth check (analyze.py of the shared kit). Only loopback traffic; nginx is stopped on exit.
set -euo pipefail
SITE=$(cd "$1" && pwd); TRUTH=$2; PORT=${3:-8090}; LAT=${4:-50}; CONC=${5:-64}; REPS=${6:-3}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(dirname "$HERE"); KIT=$ROOT/../shared/bench
WORK=$(mktemp -d /tmp/latency-nginx.XXXXXX); mkdir -p "$WORK/tmp"; chmod 755 "$WORK"
cleanup() { [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; sleep 0.3; rm -rf "$WORK"; }
trap cleanup EXIT
cat > "$WORK/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format m '\$request_method \$request_uri \$status \$msec \$request_time';
  access_log $WORK/access.log m;
  sendfile on; keepalive_requests 1000000; keepalive_timeout 65;
  client_body_temp_path $WORK/tmp/cb; proxy_temp_path $WORK/tmp/px; fastcgi_temp_path $WORK/tmp/fc;
  uwsgi_temp_path $WORK/tmp/uw; scgi_temp_path $WORK/tmp/sc;
  server {
    listen 127.0.0.1:$PORT;
    root $SITE;
    location / { echo_sleep $(awk "BEGIN{print $LAT/1000}"); echo_exec @static; }
    location @static { try_files \$uri \$uri/index.html =404; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3
# the first start after a build makes the startup cache (seconds): not in a measured run
"$ROOT/loomcrawl" --version > /dev/null 2>&1 || true
for rep in $(seq 1 "$REPS"); do
  : > "$WORK/access.log"
  start=$(date +%s.%N)
  "$ROOT/loomcrawl" crawl "http://127.0.0.1:$PORT/" --concurrency "$CONC" -q > /dev/null
  end=$(date +%s.%N)
  span=$(awk '{e=$4; s=$4-$5; if (min==""||s<min) min=s; if (e>max) max=e} END {printf "%.2f", max-min}' "$WORK/access.log")
  check=$(python3 "$KIT/analyze.py" "$TRUTH" "$WORK/access.log" /dev/null x 0 | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print("requests %d, missing %d, extra %d" % (d["requests"], d["missing_vs_truth"], d["extra_vs_truth"]))')
  [ -n "${KEEP_LOG:-}" ] && cp "$WORK/access.log" "$KEEP_LOG"
  printf 'run %d: wall %.2f s, server span %s s, %s\n' "$rep" "$(awk "BEGIN{print $end - $start}")" "$span" "$check"
done
