# shellcheck shell=bash
# ./dev generate: the files written from deploy/topology.json, so a port, a service, a bucket or a queue is one edit
# there. Sourced by ./dev.

compose_environment() { # what docker-compose.yml interpolates: each service's port, the buckets and the queues
  echo "# Written by ./dev generate from deploy/topology.json: edit that, then run ./dev generate."
  local service name
  for service in "${SERVICES[@]}"; do echo "TOPOLOGY_${service^^}_PORT=${SERVICE_PORT[$service]}"; done
  for name in "${BUCKET_AND_QUEUE_VARIABLES[@]}"; do echo "TOPOLOGY_$name=${!name}"; done
}

cmd_generate() { # ./dev generate [--check]: write the generated files; --check fails, naming it, if one is stale
  local check=no
  [ "${1:-}" = --check ] && check=yes
  generated "$ROOT/deploy/local/haproxy.cfg" haproxy_config compose
  generated "$ROOT/.env" compose_environment
  if [ "$check" = yes ]; then
    python3 "$ROOT/tools/dev/task_definitions.py" "$ROOT/deploy/topology.json" "$ROOT/deploy/ecs-task-defs" --check
  else
    python3 "$ROOT/tools/dev/task_definitions.py" "$ROOT/deploy/topology.json" "$ROOT/deploy/ecs-task-defs"
  fi
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
