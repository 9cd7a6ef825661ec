#!/usr/bin/env bash
# Offline-bundle benchmark (not part of `make test`; several minutes, ~0.6 GB of disk in a temp folder):
#   1. `make bundle` (network allowed: this is the machine with access),
#   2. on "the other machine" — a fresh folder, with no network at all when unshare(1) may make a network
#      namespace (root), no pip index (PIP_NO_INDEX=1, PIP_CONFIG_FILE=/dev/null, every PIP_* unset), an
#      empty HOME and Hugging Face cache — checks SHA256SUMS, unpacks the source, runs
#      `make install-offline BUNDLE=…` with Debian's python3.11, ingests the bundled speeches into a temp
#      index, answers one question with `speechqa ask --json` (abstained must be false, ≥1 citation), runs
#      `speechqa stats --json` and `speechqa backup`, and starts `make run` until the page answers.
# Prints the timings and the bundle size. Usage: bench/bundle.sh [WORKDIR]   (env: BUNDLE_LLM=1, KEEP=1)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d /tmp/speechqa-bundle-bench.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
BUNDLE=$WORK/speechqa-bundle
# Debian's own python3.11 when present (the target's likely Python), else whatever python3 is.
TARGET_PYTHON=${TARGET_PYTHON:-$( [ -x /usr/bin/python3.11 ] && echo /usr/bin/python3.11 || command -v python3)}
QUESTION=${QUESTION:-对年轻干部的教育管理监督有什么要求？}
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

now() { date +%s.%N; }
t0=$(now)
# BUNDLE_MAKEFLAGS="-o .venv/bin/.installed" builds from the venv as it is, without reinstalling it;
# COLD=1 builds without pip's cache (every wheel fetched again, sdists rebuilt).
# BUNDLE_TAR=1 also writes the .tar and installs from it instead of the folder.
${COLD:+env PIP_NO_CACHE_DIR=1} make -C "$ROOT" --no-print-directory ${BUNDLE_MAKEFLAGS:-} bundle BUNDLE_DIR="$BUNDLE" \
  ${BUNDLE_LLM:+BUNDLE_LLM=$BUNDLE_LLM} ${BUNDLE_TAR:+BUNDLE_TAR=$BUNDLE_TAR} \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
t_build=$(echo "$(now) - $t0" | bc)
size_mb=$(( $(du -sb "$BUNDLE" | cut -f1) / 1000000 ))
n_wheels=$(ls "$BUNDLE/wheels" | wc -l)

# The offline part runs in its own script so it can be started inside a network namespace.
cat > "$WORK/offline.sh" <<'EOS'
set -euo pipefail
BUNDLE_TAR=${BUNDLE_TAR:-}
now() { date +%s.%N; }
[ "${NETNS:-0}" = 1 ] && ip link set lo up   # a new namespace has only a downed loopback
if [ "${NETNS:-0}" = 1 ] && python3 -c "import socket; socket.create_connection(('pypi.org', 443), 3)" 2>/dev/null; then
  echo "network still reachable: not offline" >&2; exit 1
fi
t=$(now)
cd "$BUNDLE" && sha256sum -c --quiet SHA256SUMS
mkdir -p "$WORK/app" && tar xzf "$BUNDLE/speechqa-src.tar.gz" -C "$WORK/app" --strip-components=1
echo "t_check $(echo "$(now) - $t" | bc)" >> "$WORK/times"
cd "$WORK/app"
t=$(now)
make --no-print-directory install-offline BUNDLE="$BUNDLE${BUNDLE_TAR:+.tar}" PYTHON="$TARGET_PYTHON"
echo "t_install $(echo "$(now) - $t" | bc)" >> "$WORK/times"
t=$(now)
.venv/bin/speechqa ingest data/speeches --index "$WORK/index" > "$WORK/ingest.log"
echo "t_ingest $(echo "$(now) - $t" | bc)" >> "$WORK/times"
t=$(now)
.venv/bin/speechqa ask "$QUESTION" --json --index "$WORK/index" > "$WORK/answer.json"
echo "t_ask $(echo "$(now) - $t" | bc)" >> "$WORK/times"
.venv/bin/python - "$WORK/answer.json" <<'EOP'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
assert a["abstained"] is False, f"the offline install refused: {a['answer'][:200]}"
assert a["citations"], "no citation"
c = a["citations"][0]
print(f"answer ({len(a['answer'])} chars, {len(a['citations'])} citations), first: "
      f"{c['title']} §{c['paragraph']}: {c['quote'][:40]}…")
EOP
# The health check and a backup of what was ingested, from the offline install.
.venv/bin/speechqa stats --json --index "$WORK/index"
.venv/bin/speechqa backup -o "$WORK/backup.zip" --index "$WORK/index"
.venv/bin/speechqa restore "$WORK/backup.zip" --check
# `make run` on the existing index: serves the page without network.
port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
t=$(now)
setsid make --no-print-directory run INDEX="$WORK/index" PORT="$port" > "$WORK/run.log" 2>&1 &
pid=$!
ok=0
for _ in $(seq 1 180); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/"; then ok=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "t_run $(echo "$(now) - $t" | bc)" >> "$WORK/times"
t=$(now)
kill -TERM -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "t_stop $(echo "$(now) - $t" | bc)" >> "$WORK/times"
[ "$ok" = 1 ] || { echo "make run did not serve the page; see below" >&2; tail -20 "$WORK/run.log" >&2; exit 1; }
echo "make run served http://127.0.0.1:$port/ offline"
EOS

# The target machine: no pip configuration, no index, nothing cached.
mkdir -p "$WORK/home"
offline_env=(env $(env | grep -o '^PIP_[A-Z_]*' | sed 's/^/-u /') -u VIRTUAL_ENV
  PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
  HOME="$WORK/home" XDG_CACHE_HOME="$WORK/home/.cache" HF_HOME="$WORK/home/hf" HF_HUB_OFFLINE=1
  GRADIO_ANALYTICS_ENABLED=False WORK="$WORK" BUNDLE="$BUNDLE" TARGET_PYTHON="$TARGET_PYTHON"
  QUESTION="$QUESTION" BUNDLE_TAR="${BUNDLE_TAR:-}")
: > "$WORK/times"
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  net="none (network namespace: loopback only)"
  "${offline_env[@]}" NETNS=1 unshare -n bash "$WORK/offline.sh"
else
  net="host network (not root: no namespace), but no pip index or config"
  "${offline_env[@]}" bash "$WORK/offline.sh"
fi

t_all=$(echo "$(now) - $t0" | bc)
t_check=$(awk '$1=="t_check"{print $2}' "$WORK/times")
t_stop=$(awk '$1=="t_stop"{print $2}' "$WORK/times")
t_install=$(awk '$1=="t_install"{print $2}' "$WORK/times")
t_ingest=$(awk '$1=="t_ingest"{print $2}' "$WORK/times")
t_ask=$(awk '$1=="t_ask"{print $2}' "$WORK/times")
t_run=$(awk '$1=="t_run"{print $2}' "$WORK/times")
printf '\nbundle: %s wheels + source, %s MB%s\n' "$n_wheels" "$size_mb" "${BUNDLE_LLM:+ (with the LLM)}"
printf 'make bundle:              %6.0f s  (%s)\n' "$t_build" "$([ -n "${COLD:-}" ] && echo "no pip cache" || echo "pip cache as it is")"
printf 'sha256sum -c + unpack:    %6.1f s\n' "$t_check"
printf 'make install-offline:     %6.0f s  (%s, network: %s)\n' "$t_install" "$("$TARGET_PYTHON" -V)" "$net"
printf 'ingest data/speeches:     %6.1f s\n' "$t_ingest"
printf 'ask --json (cold process):%6.1f s\n' "$t_ask"
printf 'make run until page 200:  %6.1f s  (stopped in %.1f s)\n' "$t_run" "$t_stop"
printf 'all:                      %6.0f s  (load average now: %s)\n' "$t_all" "$(cut -d' ' -f1-3 /proc/loadavg)"
