# Sourced by ./test: what the test suite needs besides the JDK and Maven. The HTML report is tested in Debian's
# headless Chromium; install it when it is missing and this machine can (root with apt-get).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "test: installing Debian's chromium for the HTML report test..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium > /dev/null 2>&1 \
      || { apt-get update -qq > /dev/null 2>&1 && apt-get install -y -qq chromium > /dev/null 2>&1; } \
      || echo "test: could not install chromium; HtmlReportIT will fail and say so" >&2
  else
    echo "test: /usr/bin/chromium is missing (apt-get install chromium); HtmlReportIT will fail and say so" >&2
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
      echo "test: could not fetch the schemas; the schema tests will fail and say so" >&2
    fi
    rm -rf "$tmp"
  else
    echo "test: npm is missing, so the SARIF, sitemap and JUnit schemas cannot be fetched; the schema tests will fail" >&2
  fi
fi
