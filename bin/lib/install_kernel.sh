#!/usr/bin/env bash
# Installs the Jupyter kernelspec "memlab" ("Java (memlab)") that runs notebooks on the rapaio Java kernel
# under memlab's launcher (kernel/target/memlab-kernel.jar, main class memlab.kernel.WatchedKernel).
# The name is memlab's own, so another Java kernel (IJava's "java") is left alone.
#
#   bin/lib/install_kernel.sh [--user | --prefix DIR] [--jar JAR] [--java JAVA] [--name NAME] [--force]
#
#   --user        install for this user (default): $(jupyter --data-dir)/kernels/memlab,
#                 normally ~/.local/share/jupyter/kernels/memlab
#   --prefix DIR  install into DIR/share/jupyter/kernels/memlab (conda environments, Binder)
#   --name NAME   kernelspec name (default: memlab)
#   --force       install even when the installed kernelspec and jar are the same
#   --jar JAR     launcher jar to install (default: kernel/target/memlab-kernel.jar; build it with
#                 mvn -pl kernel package)
#   --java JAVA   java executable for the kernel (default: $JAVA_HOME/bin/java if it is Java 21 or newer,
#                 else `java` on PATH if it is, else the newest /usr/lib/jvm/*/bin/java that is)
#
# The jar is copied into the kernelspec folder, so the kernel does not depend on the build folder.
# Running it again changes nothing when kernel.json and the jar are unchanged, else replaces them.
# The kernel's environment sets OPT_OUT_TRACKING=true: DJL's usage telemetry (a call to the cloud
# instance-metadata address and, on a cloud machine, to DJL's servers) stays off. It also keeps glibc from
# handing freed tensor memory back to the system after every step (MALLOC_*_THRESHOLD_, MALLOC_ARENA_MAX; see bin/memlab),
# and preloads tcmalloc where the machine has it (LD_PRELOAD, found by bin/lib/malloc_lib.sh; MEMLAB_MALLOC=glibc: none).
set -euo pipefail

NAME=memlab
DISPLAY_NAME="Java (memlab)"
MIN_JAVA=21
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

die() { echo "install_kernel: $*" >&2; exit 1; }

mode=user prefix="" jar="$ROOT/kernel/target/memlab-kernel.jar" java="" force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --user) mode=user; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; mode=prefix; prefix="$2"; shift 2 ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar="$2"; shift 2 ;;
    --java) [ $# -ge 2 ] || die "--java needs an executable"; java="$2"; shift 2 ;;
    --name) [ $# -ge 2 ] || die "--name needs a name"; NAME="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -f "$jar" ] || die "no launcher jar at $jar; build it first: mvn -B -pl kernel package -DskipTests"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

# Prints the feature version of a java executable (8 for 1.8.x, 21 for 21.0.2, ...), or nothing.
java_major() {
  local v
  v="$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)" || true
  v="${v#1.}"
  v="${v%%[.+-]*}"
  case "$v" in '' | *[!0-9]*) ;; *) echo "$v" ;; esac
}

ok_java() {
  local m
  [ -x "$1" ] || return 1
  m="$(java_major "$1")"
  [ -n "$m" ] && [ "$m" -ge "$MIN_JAVA" ]
}

find_java() {
  if [ -n "${JAVA_HOME:-}" ] && ok_java "$JAVA_HOME/bin/java"; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  local p best="" best_m=0 m
  if p="$(command -v java 2>/dev/null)" && p="$(readlink -f "$p")" && ok_java "$p"; then
    echo "$p"; return
  fi
  for p in /usr/lib/jvm/*/bin/java; do
    [ -x "$p" ] || continue
    m="$(java_major "$p")"
    if [ -n "$m" ] && [ "$m" -ge "$MIN_JAVA" ] && [ "$m" -gt "$best_m" ]; then best="$p" best_m="$m"; fi
  done
  [ -n "$best" ] && echo "$(readlink -f "$best")"
}

if [ -n "$java" ]; then
  ok_java "$java" || die "$java is not Java $MIN_JAVA or newer"
else
  java="$(find_java)" || true
  [ -n "$java" ] || die "no Java $MIN_JAVA or newer found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*); install a JDK $MIN_JAVA+ or pass --java"
fi

JUPYTER="$(command -v jupyter 2>/dev/null || true)"
if [ "$mode" = prefix ]; then
  mkdir -p "$prefix"
  prefix="$(cd "$prefix" && pwd)"
  dest="$prefix/share/jupyter/kernels/$NAME"
elif [ -n "$JUPYTER" ]; then
  dest="$("$JUPYTER" --data-dir)/kernels/$NAME"
else
  dest="${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/kernels/$NAME"
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/memlab/mima"
mkdir -p "$cache"

# json string quoting for paths (backslash and double quote)
q() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$jar" "$stage/memlab-kernel.jar"
malloc="$("$ROOT/bin/lib/malloc_lib.sh")" || die "no allocator library (bin/lib/malloc_lib.sh)"
preload=""; [ -z "$malloc" ] || preload="    \"LD_PRELOAD\": $(q "$malloc"),"
cat > "$stage/kernel.json" <<JSON
{
  "argv": [$(q "$java"), "-jar", $(q "$dest/memlab-kernel.jar"), "{connection_file}"],
  "display_name": $(q "$DISPLAY_NAME"),
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": "",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "OMP_WAIT_POLICY": "PASSIVE",
    "MALLOC_MMAP_THRESHOLD_": "33554432",
    "MALLOC_TRIM_THRESHOLD_": "1073741824",
    "MALLOC_ARENA_MAX": "1",${preload:+
$preload}
    "OPT_OUT_TRACKING": "true",
    "RJK_MIMA_CACHE": $(q "$cache")
  }
}
JSON

if [ "$force" = 0 ] && cmp -s "$stage/kernel.json" "$dest/kernel.json" && cmp -s "$stage/memlab-kernel.jar" "$dest/memlab-kernel.jar"; then
  echo "kernelspec '$NAME' ($DISPLAY_NAME) in $dest is up to date"
  exit 0
fi

if [ -n "$JUPYTER" ]; then
  if [ "$mode" = prefix ]; then where=(--prefix "$prefix"); else where=(--user); fi
  out="$("$JUPYTER" kernelspec install --replace --name "$NAME" "${where[@]}" "$stage" 2>&1)" \
    || { echo "$out" >&2; die "jupyter kernelspec install failed"; }
else
  mkdir -p "$dest"
  cp "$stage/memlab-kernel.jar" "$dest/.memlab-kernel.jar.new"
  mv -f "$dest/.memlab-kernel.jar.new" "$dest/memlab-kernel.jar"
  cp "$stage/kernel.json" "$dest/kernel.json"
fi
cmp -s "$stage/kernel.json" "$dest/kernel.json" || die "kernelspec did not land in $dest as expected"
chmod 644 "$dest/kernel.json" "$dest/memlab-kernel.jar"

echo "installed kernelspec '$NAME' ($DISPLAY_NAME) in $dest"
echo "  java: $java (Java $(java_major "$java"))"
