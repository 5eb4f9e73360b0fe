#!/usr/bin/env bash
# Checks that saved figure pages really draw their charts: renders each with headless Chromium and
# counts coloured pixels (memlab.plot.RenderCheck). Exit 1 if any page looks blank, 2 without Chromium.
# Usage: bin/lib/render_check.sh out/*.html   (needs lib/target/memlab.jar: mvn -pl lib package)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/lib/target/memlab.jar"
if [[ ! -f "$jar" ]]; then
  echo "render_check: $jar is missing; build it with: mvn -q -o -pl lib package -DskipTests" >&2
  exit 2
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 page.html..." >&2
  exit 2
fi
java=java
[[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
exec "$java" -cp "$jar" memlab.plot.RenderCheck "$@"
