# shellcheck shell=bash
# ./dev up, down and status: the stack a developer uses. Sourced by ./dev.

cmd_up() {
  use_profile up
  ensure_packages up
  start_postgres
  create_databases
  start_redis
  start_emulator
  service_environment
  local shown_password="(your ADMIN_PASSWORD)"
  [ -n "${ADMIN_PASSWORD:-}" ] || shown_password=$DEFAULT_ADMIN_PASSWORD
  export ADMIN_EMAIL="${ADMIN_EMAIL:-$DEFAULT_ADMIN_EMAIL}" ADMIN_PASSWORD="${ADMIN_PASSWORD:-$DEFAULT_ADMIN_PASSWORD}"
  build
  migrate
  start_viewer
  # Every trace rather than production's 10 %, and sent within a second (metrics: five) rather than five (sixty), so
  # the request just made is there.
  if [ -n "${VIEWER_OTLP:-}" ]; then
    STACK_ENV+=(OTEL_EXPORTER_OTLP_ENDPOINT="$VIEWER_OTLP" OTEL_TRACES_SAMPLER_ARG=1 OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=5000)
  fi
  start_stripe_emulator
  start_services
  start_load_balancer
  printf '\n\033[32mThe stack is up.\033[0m The shop: \033[1mhttp://localhost:%s/\033[0m\n' "$LB_PORT"
  local route pattern
  for route in "${ROUTES[@]}"; do
    read -r service pattern <<<"$route"
    printf '  %-10s http://localhost:%s  (through the load balancer: http://localhost:%s%s, health: http://localhost:%s/health/%s/ready)\n' \
      "$service" "${SERVICE_PORT[$service]}" "$LB_PORT" "${pattern%\*}" "$LB_PORT" "$service"
  done
  printf '  %-10s 127.0.0.1:%s admin %s password %s (each service: its own role, e.g. inventory / %s)\n' postgres "$PG_PORT" \
    "$DB_USER" "$DB_PASSWORD" "$(db_password inventory)"
  printf '  %-10s redis://%s:%s@127.0.0.1:%s (each service: its own user, e.g. inventory / %s)\n' redis "$REDIS_ADMIN_USER" \
    "$REDIS_ADMIN_PASSWORD" "$REDIS_PORT" "$(redis_password inventory)"
  printf '  %-10s %s (AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test)\n' aws "$AWS_ENDPOINT_URL"
  printf '  %-10s %s / %s  (the shop at /admin, or POST http://localhost:8080/api/customers/login)\n' admin "$ADMIN_EMAIL" "$shown_password"
  printf '  %-10s http://127.0.0.1:%s (webhooks to payments signed with %s; ./dev stripe confirm <payment_intent>)\n' stripe "$STRIPE_PORT" "$DEV_WEBHOOK_SECRET"
  if [ -n "${VIEWER_URL:-}" ]; then
    printf '  %-10s %s  (traces across the services, metrics, logs; the traces as JSON: %s/api/telemetry/traces)\n' \
      viewer "$VIEWER_URL" "$VIEWER_URL"
  fi
  printf '  logs       %s\n  stop with  ./dev down\n' "$LOGS"
}

cmd_down() {
  use_profile up
  step "Stopping the local stack" ""
  stop_pid "$STATE/haproxy.pid"
  stop_services
  stop_stripe_emulator
  stop_viewer
  stop_emulator
  stop_redis
  stop_postgres
  note "stopped"
}

cmd_status() {
  use_profile up
  for service in "${SERVICES[@]}"; do
    local state=down
    curl -sf "http://127.0.0.1:${SERVICE_PORT[$service]}/health/ready" >/dev/null 2>&1 && state=ready
    printf '%-10s :%s %s\n' "$service" "${SERVICE_PORT[$service]}" "$state"
  done
  local viewer=down
  curl -sf -o /dev/null "http://localhost:$VIEWER_PORT/" && viewer=ready
  printf '%-10s :%s %s\n' viewer "$VIEWER_PORT" "$viewer"
}
