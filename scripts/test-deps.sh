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
