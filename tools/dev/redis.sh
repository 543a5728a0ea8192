# shellcheck shell=bash
# Redis, with a user per service (ACL). Sourced by ./dev.

# What a service's Redis user may run: every command on its own keys (the prefix, REDIS_KEY_PREFIX's default) but the
# administrative and dangerous ones (FLUSHALL, KEYS, CONFIG, ...), none on a channel, and no command that lists other
# keys' names (SCAN, RANDOMKEY). The platform needs nothing else: the client's tie-breaker key and configuration channel
# are off (platform/Redis/RedisExtensions.cs). The same rule is each ElastiCache user's access string on AWS.
REDIS_SERVICE_COMMANDS="+@all -@admin -@dangerous -@pubsub -scan -randomkey"
# The admin: the tests' own keyspaces (one prefix per test class), the benchmark's baseline and redis-cli. The default
# user is off, so every connection names its user.
REDIS_ADMIN_USER=platform
REDIS_ADMIN_PASSWORD=platform

redis_password() { echo "$1-redis-local"; } # redis_password <service>: its user's password on this machine

redis_acl() { # the users, as an ACL file
  echo "user default off"
  echo "user $REDIS_ADMIN_USER on >$REDIS_ADMIN_PASSWORD ~* &* +@all"
  local service
  for service in "${SERVICES[@]}"; do
    echo "user $service on >$(redis_password "$service") resetkeys ~$service:* resetchannels $REDIS_SERVICE_COMMANDS"
  done
}

redis_cli() { redis-cli -p "$REDIS_PORT" --user "$REDIS_ADMIN_USER" --pass "$REDIS_ADMIN_PASSWORD" --no-auth-warning "$@"; }

start_redis() {
  step "Starting Redis on 127.0.0.1:$REDIS_PORT" "$LOGS/redis.log"
  mkdir -p "$STATE/redis"
  redis_acl >"$STATE/redis/users.acl"
  chmod 600 "$STATE/redis/users.acl"
  # One started before Redis had users answers anyone: it gives way to one with them.
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
  if ! redis_cli ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$STATE/redis" --aclfile "$STATE/redis/users.acl" \
      --pidfile "$STATE/redis.pid" --logfile "$step_log" --save "" --appendonly no >/dev/null || fail "Redis did not start"
    wait_for 20 "Redis" redis_cli ping
  elif ! redis_cli acl load >>"$step_log" 2>&1; then
    fail "Redis on :$REDIS_PORT is running without this stack's users (stop it, then run this again)"
  fi
}

stop_redis() { redis_cli shutdown nosave >/dev/null 2>&1 || true; }
