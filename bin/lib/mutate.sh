#!/usr/bin/env bash
# Mutation check of the models' maths with PIT: small faults (a flipped comparison, a negated value, a removed
# call, a changed constant) are put into the model and training classes one at a time, and the unit tests that
# cover each fault are rerun; a fault no test notices "survives". Prints the kill rate per package.
#
#   bin/lib/mutate.sh [--threads N] [--sample N] [--report-only] [--survivors] [PACKAGE...]
#
# PACKAGE: egl, memlab.egl, ... (default: every memlab.* package except the non-model ones listed in the `mutate`
# profile of lib/pom.xml, so a new model package is included without editing anything).
# --threads N: PIT's worker JVMs (default 1; each runs libtorch single-threaded).
# --sample N: only the first N mutants PIT makes in each class (a quick, biased estimate; default: all).
# --report-only: only print the table of the last run (lib/target/pit-reports/mutations.xml).
# --survivors: also list every mutant no test noticed (class:line and what was changed).
# Not part of `bin/memlab test`: a full run took 11 min on 2 quiet cores and far longer on busy ones (README, Testing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=1 sample=0 report_only=0 survivors=0 pkgs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; [[ "$threads" =~ ^[1-9][0-9]*$ ]] || { echo "mutate: --threads must be a whole number >= 1, got '$threads'" >&2; exit 2; }; shift ;;
    --sample) sample="$2"; [[ "$sample" =~ ^[1-9][0-9]*$ ]] || { echo "mutate: --sample must be a whole number >= 1, got '$sample'" >&2; exit 2; }; shift ;;
    --report-only) report_only=1 ;;
    --survivors) survivors=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "mutate: unknown option '$1' (allowed: --threads N, --sample N, --report-only, --survivors)" >&2; exit 2 ;;
    *) p="${1#memlab.}"
       [ -d "$ROOT/lib/src/main/java/memlab/${p//.//}" ] || { echo "mutate: no package memlab.$p under lib/src/main/java (packages: $(cd "$ROOT/lib/src/main/java/memlab" && ls -d */ | tr -d / | tr '\n' ' '))" >&2; exit 2; }
       pkgs+=("memlab.$p.*") ;;
  esac
  shift
done
xml="$ROOT/lib/target/pit-reports/mutations.xml"

if [ "$report_only" = 0 ]; then
  args=(-B -pl lib -Pcpu,mutate -Dmutate.threads="$threads")
  [ ${#pkgs[@]} -gt 0 ] && args+=(-Dmutate.targetClasses="$(IFS=,; echo "${pkgs[*]}")")
  [ "$sample" -gt 0 ] && args+=(-Dfeatures="+CLASSLIMIT(limit[$sample])")
  rm -f "$xml"
  mkdir -p "$ROOT/lib/target"
  log="$ROOT/lib/target/mutate.log"
  start=$(date +%s)
  echo "mutate: running PIT on ${pkgs[*]:-every model package} with $threads thread(s)$([ "$sample" -gt 0 ] && echo ", the first $sample mutants of each class"); full log in lib/target/mutate.log"
  # test-compile first: PIT mutates the compiled classes and runs the compiled tests
  if ! (cd "$ROOT" && mvn "${args[@]}" ${MEMLAB_MAVEN_ARGS:-} test-compile org.pitest:pitest-maven:mutationCoverage) >"$log" 2>&1; then
    grep -E 'SEVERE|ERROR|did not pass' "$log" | head -20 >&2
    echo "mutate: PIT failed (full log: $log)" >&2
    exit 1
  fi
  [ -s "$xml" ] || { echo "mutate: PIT wrote no $xml (full log: $log)" >&2; exit 1; }
  echo "mutate: PIT took $(( ($(date +%s) - start) / 60 )) min"
fi
[ -s "$xml" ] || { echo "mutate: no report at $xml; run without --report-only first" >&2; exit 2; }

# Per package: killed = a test failed (or the mutant timed out / ran out of memory, which PIT also counts as
# detected); survived = the covering tests all passed; no coverage = no test runs that line at all.
"${MEMLAB_PY:-python3}" - "$xml" "$survivors" <<'EOF'
import sys, collections, xml.etree.ElementTree as ET
rows = collections.defaultdict(collections.Counter)
alive = []
for m in ET.parse(sys.argv[1]).getroot().iter("mutation"):
    cls = m.findtext("mutatedClass")
    pkg = cls.rsplit(".", 1)[0]
    rows[pkg][m.get("status")] += 1
    if m.get("status") in ("SURVIVED", "NO_COVERAGE"):
        alive.append(f"{cls}:{m.findtext('lineNumber')} {m.get('status').lower()}: {m.findtext('description')}")
detected = ("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR")
def line(name, c):
    n = sum(c.values()); k = sum(c[s] for s in detected); cov = n - c["NO_COVERAGE"]
    rate = f"{100 * k / n:5.1f}%" if n else "    -"
    strength = f"{100 * k / cov:5.1f}%" if cov else "    -"
    print(f"{name:<22} {n:>8} {k:>7} {c['SURVIVED']:>9} {c['NO_COVERAGE']:>12} {rate:>10} {strength:>14}")
print(f"{'package':<22} {'mutants':>8} {'killed':>7} {'survived':>9} {'no coverage':>12} {'kill rate':>10} {'of covered':>14}")
total = collections.Counter()
for pkg in sorted(rows):
    line(pkg, rows[pkg]); total.update(rows[pkg])
line("all", total)
if sys.argv[2] == "1":
    print("\nmutants no test noticed:")
    for a in sorted(alive): print("  " + a)
EOF
