# shellcheck shell=bash
# What every step prints, how a step fails, and how a process is waited for and stopped. Sourced by ./dev.

step_name=""
step_log=""
step() { step_name="$1"; step_log="$2"; printf '\033[1m==> %s\033[0m\n' "$1"; }
note() { printf '    %s\n' "$*"; }
fail() {
  printf '\033[31mFAILED: %s\033[0m\n' "${step_name:-$1}" >&2
  [ -n "${1:-}" ] && printf '    %s\n' "$1" >&2
  if [ -n "$step_log" ] && [ -f "$step_log" ]; then
    printf '    log: %s (last lines below)\n' "$step_log" >&2
    tail -n 20 "$step_log" | sed 's/^/    | /' >&2
  fi
  exit 1
}

wait_for() { # wait_for <seconds> <description> <command...>: polls every 50 ms, so start-up times read true
  local seconds=$1 what=$2; shift 2
  for _ in $(seq $((seconds * 20))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  fail "$what did not come up within ${seconds}s"
}

stop_pid() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid; pid="$(cat "$file")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
