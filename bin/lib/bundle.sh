#!/usr/bin/env bash
# Makes out/gpu-bundle/: what `bench device` needs on a machine without internet and without Java, at most
# 64 MiB of files in all. That machine brings its own PyTorch (libtorch with headers, e.g. a pip-installed torch),
# CMake and a C++ compiler; the bundle brings the rest:
#
#   runtime/          a jlink Java runtime: only the modules the jars use, no debug attributes, no man pages,
#                     with include/jni.h (the JNI build needs it)
#   jars/             memlab's classes and the DJL engine's own dependencies (no PyTorch natives: the machine's are used)
#   djl-src/          DJL's C++ sources of the JNI (from DJL's source release of the version in pom.xml) and the
#                     JNI header javac made from them, so that no javac is needed there
#   bin/lib/build_jni.sh, patches/   the JNI build, as in this repository
#   run-device-check.sh              the one command for that machine (see its header)
#
#   bin/lib/bundle.sh DJL_SRC [--out DIR]
#
# DJL_SRC: DJL's source tree at tag vDJL_VERSION (djl.version in pom.xml). Compiles lib/ first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
die() { echo "bundle: $*" >&2; exit 2; }
say() { echo "bundle: $*" >&2; }

src="" out="$ROOT/out/gpu-bundle"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || die "--out needs a folder"; out="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (allowed: --out DIR, DJL_SRC)" ;;
    *) [ -z "$src" ] || die "one DJL_SRC only (got '$src' and '$1')"; src="$1" ;;
  esac
  shift
done
LIMIT_MIB=64

djl_version="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
[ -n "$src" ] || die "DJL_SRC missing: give the folder of DJL's source release (tag v$djl_version)"
[ -d "$src" ] || die "DJL_SRC '$src' is not a folder"
src_version="$(sed -n 's/^djl *= *"\(.*\)".*/\1/p' "$src/gradle/libs.versions.toml" 2>/dev/null | head -1)"
[ "$src_version" = "$djl_version" ] || die "DJL_SRC '$src' is DJL ${src_version:-of unknown version (no gradle/libs.versions.toml)}, the project uses $djl_version (check out tag v$djl_version)"

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/jlink" ] || die "JAVA_HOME '$JAVA_HOME' has no jlink (a JDK 25 is needed)"
export JAVA_HOME

# ---- jars: memlab's own classes and the DJL engine's runtime dependencies, taken from Maven's resolved classpath
# memlab's classes as compiled now (mvn compile is quick when nothing changed; the shaded memlab.jar, with
# PyTorch's CPU natives inside, is far too big to travel)
say "compiling lib/ (mvn compile)"
(cd "$ROOT" && mvn -q -B -o -pl lib compile) || die "mvn compile failed"
cp_file="$(mktemp)"; trap 'rm -f "$cp_file"' EXIT
(cd "$ROOT" && mvn -q -B -o -pl lib dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null) \
  || die "mvn dependency:build-classpath failed"
# DJL's API and PyTorch engine and what they load (JSON, JNA, logging); not PyTorch's natives (pytorch-native-*)
# nor DJL's prebuilt JNI (pytorch-jni): the machine's libtorch and a JNI built for it replace both. Left out too:
# DJL's archive and download helpers (commons-compress/-io/-codec; the bundle is offline) and the notebooks'
# plotting and tables (tablesaw, plotly, fastutil, ...). The CPU run of the bundle shows nothing else is loaded.
keep='/ai/djl/(api|pytorch/pytorch-engine)/|/com/google/code/gson/|/net/java/dev/jna/jna/|/org/slf4j/slf4j-(api|nop)/'
rm -rf "$out"; mkdir -p "$out/jars" "$out/bin/lib" "$out/djl-src"
"$JAVA_HOME/bin/jar" --create --file "$out/jars/memlab-lib.jar" -C "$ROOT/lib/target/classes" .
tr ':' '\n' < "$cp_file" | grep -E "$keep" | while read -r j; do cp "$j" "$out/jars/"; done

# ---- the Java runtime: the modules bench device reaches. jdeps lists more for these jars: java.desktop (DJL's
# image helpers, memlab.plot's PNG export), java.compiler and java.sql (annotations, gson's optional adapters); none
# is reached by bench device, and java.desktop alone would cost 15 MiB. java.logging: JNA's log; java.management:
# DJL's system information; jdk.unsupported: sun.misc.Unsafe for JNA and gson. The CPU run of the bundle
# (run-device-check.sh --cpu-only) shows the runtime complete.
modules="java.base,java.logging,java.management,jdk.unsupported"
say "runtime modules: $modules"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --compress=zip-9 --output "$out/runtime"

# ---- DJL's JNI sources (Apache-2.0, with its LICENSE and NOTICE) and the header javac makes from PyTorchLibrary.java
native=engines/pytorch/pytorch-native
mkdir -p "$out/djl-src/$native/src/main" "$out/djl-src/api/src/main" "$out/djl-src/gradle" "$out/djl-src/jni-header"
cp "$src/$native/CMakeLists.txt" "$out/djl-src/$native/"
cp -r "$src/$native/src/main/native" "$out/djl-src/$native/src/main/"
cp -r "$src/api/src/main/native" "$out/djl-src/api/src/main/"
cp "$src/gradle/libs.versions.toml" "$out/djl-src/gradle/"
for f in LICENSE NOTICE; do [ -f "$src/$f" ] && cp "$src/$f" "$out/djl-src/"; done
"$JAVA_HOME/bin/javac" -h "$out/djl-src/jni-header" -d "$(mktemp -d)" \
  "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"

cp "$ROOT/bin/lib/build_jni.sh" "$out/bin/lib/"
[ -d "$ROOT/patches" ] && cp -r "$ROOT/patches" "$out/"
cp "$ROOT/bin/lib/run-device-check.sh" "$out/"
chmod +x "$out/run-device-check.sh" "$out/bin/lib/build_jni.sh"
git -C "$ROOT" rev-parse HEAD > "$out/memlab-commit.txt" 2>/dev/null || true

bytes="$(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
mib="$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')"
say "$out: $(find "$out" -type f | wc -l) files, $mib MiB (runtime $(du -sb "$out/runtime" | awk '{printf "%.1f", $1/1048576}') MiB, jars $(du -sb "$out/jars" | awk '{printf "%.1f", $1/1048576}') MiB)"
awk -v b="$bytes" -v l="$LIMIT_MIB" 'BEGIN {exit !(b <= l * 1048576)}' || die "the bundle is $mib MiB, over the $LIMIT_MIB MiB limit"
