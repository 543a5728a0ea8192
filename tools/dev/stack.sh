# shellcheck shell=bash
# ./dev stack: the fault suite's hands on the running test stack. Sourced by ./dev.

cmd_stack() { # ./dev stack <start|stop|kill> <service> [2] · ./dev stack <start|stop> <postgres|redis>: see the top
  local action=${1:-} target=${2:-} instance=${3:-1}
  use_profile test
  case "$action $target" in
    "start postgres") start_postgres "${PG_SETTINGS[@]}"; return ;;
    "stop postgres") stop_postgres; return ;;
    "start redis") start_redis; return ;;
    "stop redis") stop_redis; return ;;
  esac
  if [[ " ${SERVICES[*]} " != *" $target "* ]] || [[ ! "$action" =~ ^(start|stop|kill)$ ]] || [[ ! "$instance" =~ ^[12]$ ]]; then
    echo "usage: ./dev stack <start|stop|kill> <$(IFS='|'; echo "${SERVICES[*]}")> [2]  ·  ./dev stack <start|stop> <postgres|redis>" >&2
    exit 2
  fi
  local name=$target port=${SERVICE_PORT[$target]}
  if [ "$instance" = 2 ]; then name=$target-2 port=$(second_port "$target"); fi
  case $action in
    start)
      step "Starting $name on :$port" "$LOGS/$name.log"
      if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then note "already running"; return; fi
      # The secrets' ARNs as ./dev test created them; the rest of the environment is the profile's.
      while IFS='=' read -r variable arn; do export "$variable=$arn"; done <"$STATE/secret-arns"
      service_environment
      launch_service "$name" "$target" "$port"
      wait_for 60 "$name /health/ready" curl -sf "http://127.0.0.1:$port/health/ready" ;;
    stop) stop_pid "$STATE/$name.pid" ;;
    kill)
      if [ -f "$STATE/$name.pid" ]; then kill -9 "$(cat "$STATE/$name.pid")" 2>/dev/null || true; rm -f "$STATE/$name.pid"; fi ;;
  esac
}
