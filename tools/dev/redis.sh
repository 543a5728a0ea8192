# shellcheck shell=bash
# Redis. Sourced by ./dev.

start_redis() {
  step "Starting Redis on 127.0.0.1:$REDIS_PORT" "$LOGS/redis.log"
  mkdir -p "$STATE/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$STATE/redis" \
      --pidfile "$STATE/redis.pid" --logfile "$step_log" --save "" --appendonly no >/dev/null || fail "Redis did not start"
    wait_for 20 "Redis" redis-cli -p "$REDIS_PORT" ping
  fi
}

stop_redis() { redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }
