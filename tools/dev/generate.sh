# shellcheck shell=bash
# ./dev generate: the files written from deploy/topology.json, so a port, a service, a bucket or a queue is one edit
# there. Sourced by ./dev.

compose_file() { # docker-compose.yml: compose's stack has ./dev's names for its admins, admin account, webhook secret and Redis users
  env DB_USER="$DB_USER" DB_PASSWORD="$DB_PASSWORD" REDIS_ADMIN_USER="$REDIS_ADMIN_USER" REDIS_ADMIN_PASSWORD="$REDIS_ADMIN_PASSWORD" \
    DEFAULT_ADMIN_EMAIL="$DEFAULT_ADMIN_EMAIL" DEFAULT_ADMIN_PASSWORD="$DEFAULT_ADMIN_PASSWORD" \
    DEV_WEBHOOK_SECRET="$DEV_WEBHOOK_SECRET" REDIS_SERVICE_COMMANDS="$REDIS_SERVICE_COMMANDS" \
    python3 "$ROOT/tools/dev/compose.py" "$ROOT/deploy/topology.json"
}

cmd_generate() { # ./dev generate [--check]: write the generated files; --check fails, naming it, if one is stale
  local check=no mode=()
  [ "${1:-}" = --check ] && check=yes mode=(--check)
  python3 "$ROOT/tools/dev/task_definitions.py" "$ROOT/deploy/topology.json" "$ROOT/deploy/ecs-task-defs" "${mode[@]}"
  # The services' templates before haproxy's configuration, which takes their health check.
  python3 "$ROOT/tools/dev/services_template.py" "$ROOT/deploy/topology.json" "$ROOT/deploy/cloudformation/services" "${mode[@]}"
  generated "$ROOT/deploy/local/haproxy.cfg" haproxy_config compose
  generated "$ROOT/docker-compose.yml" compose_file
}

generated() { # generated <file> <command...>: write the command's output to the file, or with --check compare them
  local file="$1"
  shift
  if [ "$check" = yes ]; then
    diff -u "$file" <("$@") || fail "${file#"$ROOT"/} is stale: run ./dev generate"
  else
    "$@" >"$file"
  fi
}
