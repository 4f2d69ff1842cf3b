#!/usr/bin/env bash
# Benchmarks over https beside plain http, on one nginx (Debian: nginx-light, libnginx-mod-http-echo for (b)):
# a certificate authority and a leaf for 127.0.0.1 are made on the fly with openssl; nginx offers TLS 1.2 and 1.3
# and HTTP/2 by ALPN on the https port; wget trusts the CA with --ca-certificate, loomcrawl with --ca-cert.
#   loomcrawl-bench/https_bench.sh a SITE_DIR TRUTH.json [REPS] [PEERS]   # (a): whole process, default options
#   loomcrawl-bench/https_bench.sh b SITE_DIR TRUTH.json [REPS] [LATENCY_MS] [CONCURRENCY]
# gensite.py writes some links absolute, so SITE_DIR is generated with --base http://127.0.0.1:8088 and served on
# http, and SITE_DIR-https (with TRUTH's -https twin) with --base https://127.0.0.1:8443 and served on https:
#   gensite.py site10k --pages 10000 --base http://127.0.0.1:8088
#   gensite.py site10k-https --pages 10000 --base https://127.0.0.1:8443
# (a) runs each peer (default "wget loomcrawl") over http and https, alternating, and prints per run the wall
# time, CPU and peak RSS of the whole process (GNU time) and the ground-truth check (analyze.py of the shared kit).
# (b) runs loomcrawl over https against responses delayed by LATENCY_MS (default 50) and prints the crawler's own
# clock (its summary line), the whole process's wall time, and the server's first-to-last request span.
# Only loopback traffic; nginx is stopped on exit. LOOMCRAWL_ARGS adds options to every loomcrawl run.
set -euo pipefail
MODE=$1; SITE=$(cd "$2" && pwd); TRUTH=$(cd "$(dirname "$3")" && pwd)/$(basename "$3"); REPS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(dirname "$HERE"); KIT=$ROOT/../shared/bench
HTTP_PORT=8088; HTTPS_PORT=8443
WORK=$(mktemp -d /tmp/https-bench.XXXXXX); mkdir -p "$WORK/tmp" "$WORK/out"; chmod 755 "$WORK"
cleanup() { [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; sleep 0.3; rm -rf "$WORK"; }
trap cleanup EXIT

# the CA and a leaf for 127.0.0.1, as a staging site's would be
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=bench CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$WORK/leaf.key" -out "$WORK/leaf.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$WORK/leaf.ext"
openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 2 \
  -extfile "$WORK/leaf.ext" -out "$WORK/leaf.pem" 2>/dev/null
cat "$WORK/leaf.pem" "$WORK/ca.pem" > "$WORK/chain.pem"

if [ "$MODE" = b ]; then
  LAT=${5:-50}; CONC=${6:-64}
  ECHO_MODULE="load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;"
  LOCATION="location / { echo_sleep $(awk "BEGIN{print $LAT/1000}"); echo_exec @static; }
    location @static { try_files \$uri \$uri/index.html =404; }"
else
  ECHO_MODULE=""
  LOCATION="index index.html;"
fi
cat > "$WORK/nginx.conf" <<CONF
$ECHO_MODULE
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  log_format m '\$request_method \$request_uri \$status \$msec \$request_time \$server_protocol';
  access_log $WORK/access.log m;
  sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 65;
  client_body_temp_path $WORK/tmp/cb; proxy_temp_path $WORK/tmp/px; fastcgi_temp_path $WORK/tmp/fc;
  uwsgi_temp_path $WORK/tmp/uw; scgi_temp_path $WORK/tmp/sc;
  ssl_certificate $WORK/chain.pem; ssl_certificate_key $WORK/leaf.key;
  ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:SSL:10m;
  server { listen 127.0.0.1:$HTTP_PORT; root $SITE; $LOCATION }
  server { listen 127.0.0.1:$HTTPS_PORT ssl http2; root $SITE-https; $LOCATION }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3
# the first start after a build makes the startup cache (seconds): not in a measured run
"$ROOT/loomcrawl" --version > /dev/null 2>&1 || true

check() { # the ground-truth check of the last run's access log: check SCHEME
  local truth=$TRUTH; [ "$1" = https ] && truth=${TRUTH%.truth.json}-https.truth.json
  python3 "$KIT/analyze.py" "$truth" "$WORK/access.log" "$WORK/time" x 0 | python3 -c \
    'import json,sys; d=json.load(sys.stdin); print("wall %.2f s, cpu %.2f s, rss %s MB, requests %d, missing %d, extra %d" % (d["wall_s"], d["cpu_s"], d["max_rss_mb"], d["requests"], d["missing_vs_truth"], d["extra_vs_truth"]))'
}

if [ "$MODE" = a ]; then
  PEERS=${5:-wget loomcrawl}
  for rep in $(seq 1 "$REPS"); do
    for scheme in http https; do
      port=$HTTP_PORT; [ "$scheme" = https ] && port=$HTTPS_PORT
      url="$scheme://127.0.0.1:$port/"
      for peer in $PEERS; do
        : > "$WORK/access.log"; rm -rf "$WORK/out" "$WORK/state"; mkdir -p "$WORK/out"
        case $peer in
          wget) cmd=(wget -r -l inf --spider -nd -nv -e robots=off -P "$WORK/out" --ca-certificate="$WORK/ca.pem" "$url") ;;
          loomcrawl) cmd=("$ROOT/loomcrawl" crawl "$url" --concurrency 32 --ca-cert "$WORK/ca.pem"
                          --state "$WORK/state" -o "$WORK/out/list.txt" ${LOOMCRAWL_ARGS:-}) ;;
        esac
        /usr/bin/time -v -o "$WORK/time" "${cmd[@]}" > /dev/null 2> "$WORK/stderr" || true
        summary=$(grep -o 'in [0-9.]* s, [0-9,]* pages/s' "$WORK/stderr" | tail -1 || true)
        protocols=$(awk '{print $6}' "$WORK/access.log" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
        printf 'run %d %-5s %-9s %s; %s%s\n' "$rep" "$scheme" "$peer" "$(check "$scheme")" "$protocols" "${summary:+; own clock $summary}"
      done
    done
  done
else
  for rep in $(seq 1 "$REPS"); do
    : > "$WORK/access.log"
    /usr/bin/time -v -o "$WORK/time" "$ROOT/loomcrawl" crawl "https://127.0.0.1:$HTTPS_PORT/" --concurrency "$CONC" \
      --ca-cert "$WORK/ca.pem" --no-state ${LOOMCRAWL_ARGS:-} > /dev/null 2> "$WORK/stderr" || true
    summary=$(grep -o 'in [0-9.]* s, [0-9,]* pages/s' "$WORK/stderr" | tail -1 || true)
    span=$(awk '{e=$4; s=$4-$5; if (min==""||s<min) min=s; if (e>max) max=e} END {printf "%.2f", max-min}' "$WORK/access.log")
    printf 'run %d: own clock %s; %s; server span %s s\n' "$rep" "$summary" "$(check https)" "$span"
  done
fi
