# Sourced by ./test: what the test suite needs besides the JDK and Maven, each checked before the suite runs, so a
# missing one fails in seconds, saying why, not after a 5-minute suite. The HTML report is tested in Debian's
# headless Chromium; it is installed when it is missing and this machine can (root with apt-get). apt waits up to
# 5 minutes for another apt or dpkg run to let go of its lock, and what it says goes to a log shown on failure.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "test: installing Debian's chromium for the HTML report test..." >&2
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@" >> "$log" 2>&1; }
    apt_get install -y -q chromium || { apt_get update -q && apt_get install -y -q chromium; } || true
    if [ ! -x /usr/bin/chromium ]; then
      echo "test: could not install chromium (HtmlReportIT needs it); apt-get said:" >&2
      tail -n 15 "$log" | sed 's/^/  /' >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
  else
    echo "test: /usr/bin/chromium is missing and cannot be installed here (HtmlReportIT needs it): apt-get install chromium" >&2
    exit 1
  fi
fi

# The published schemas the report formats are validated against (SARIF 2.1.0, sitemaps.org 0.9, the Apache Ant
# JUnit schema), taken from npm packages that ship them, into a cache outside the repository: none of their text is
# committed. The JUnit schema (Windy Road's JUnit.xsd, Apache-2.0) ships as a string in junit-xml's own test.
SCHEMAS="${HOME}/.cache/loomcrawl/schemas"
if [ ! -f "$SCHEMAS/sarif-2.1.0.json" ] || [ ! -f "$SCHEMAS/sitemap.xsd" ] || [ ! -f "$SCHEMAS/junit-ant.xsd" ]; then
  if command -v npm > /dev/null; then
    echo "test: fetching the SARIF, sitemap and JUnit schemas from npm..." >&2
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 sitemap@9.0.1 junit-xml@1.2.0 > /dev/null 2>&1); then
      mkdir -p "$SCHEMAS"
      tar xzf "$tmp"/microsoft-jest-sarif-*.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
      cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$SCHEMAS/sarif-2.1.0.json"
      tar xzf "$tmp"/sitemap-*.tgz -C "$tmp" package/schema/sitemap.xsd
      cp "$tmp/package/schema/sitemap.xsd" "$SCHEMAS/sitemap.xsd"
      tar xzf "$tmp"/junit-xml-*.tgz -C "$tmp" package/src/index.test.ts
      python3 - "$tmp/package/src/index.test.ts" "$SCHEMAS/junit-ant.xsd" <<'PY'
import re, sys
source = open(sys.argv[1], encoding="utf-8").read()
schema = re.search(r"const antJunitSchema = '(.*?)';\n", source, re.S).group(1).replace("\\'", "'")
open(sys.argv[2], "w", encoding="utf-8").write(schema)
PY
    else
      echo "test: could not fetch the SARIF, sitemap and JUnit schemas from npm (the report tests need them)" >&2
      rm -rf "$tmp"
      exit 1
    fi
    rm -rf "$tmp"
  else
    echo "test: npm is missing, so the SARIF, sitemap and JUnit schemas the report tests need cannot be fetched" >&2
    exit 1
  fi
fi
