# shellcheck shell=bash
# ./dev bench: the benchmark's stack, its scenarios and its report. Sourced by ./dev.

run_benchmark() { # run_benchmark <--smoke|--full> <report folder> [--only <name>]: against the running stack, beside the bare baseline
  local fallback_port=$((SERVICE_PORT[locations] + 1)) baseline_port=$((SERVICE_PORT[inventory] + 8))
  step "Starting locations in fallback mode (POSTGIS_ENABLED=false) on :$fallback_port" "$LOGS/locations-fallback.log"
  launch_service locations-fallback locations "$fallback_port" POSTGIS_ENABLED=false
  wait_for 60 "locations (fallback) /health/ready" curl -sf "http://127.0.0.1:$fallback_port/health/ready"
  # What telemetry costs: inventory twice more, OpenTelemetry off, and on as on AWS (10 % of traces, and metrics,
  # exported to the viewer standing in for the collector; the smoke run has no viewer, so there it exports nowhere).
  local untraced_port=$((SERVICE_PORT[inventory] + 5)) traced_port=$((SERVICE_PORT[inventory] + 6)) exporting=()
  if [ "$1" = --full ]; then
    start_viewer
    [ -n "${VIEWER_OTLP:-}" ] && exporting=(OTEL_EXPORTER_OTLP_ENDPOINT="$VIEWER_OTLP")
  fi
  step "Starting inventory with OpenTelemetry off on :$untraced_port, and on on :$traced_port" "$LOGS/inventory-traced.log"
  launch_service inventory-untraced inventory "$untraced_port" OTEL_SDK_DISABLED=true
  launch_service inventory-traced inventory "$traced_port" "${exporting[@]}"
  wait_for 60 "inventory (OpenTelemetry off) /health/ready" curl -sf "http://127.0.0.1:$untraced_port/health/ready"
  wait_for 60 "inventory (OpenTelemetry on) /health/ready" curl -sf "http://127.0.0.1:$traced_port/health/ready"
  # A new inventory task warming up under load, started by the benchmark when its scenario begins: as built here, and
  # published with ReadyToRun as its image is (in a folder of its own, so the stack's build is left as it is).
  local new_port=$((SERVICE_PORT[inventory] + 7)) new_task=() ready_to_run="$STATE/ready-to-run"
  step "Publishing inventory with ReadyToRun, as its image is" "$LOGS/publish.log"
  dotnet publish "$ROOT/services/inventory" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
    --artifacts-path "$ready_to_run/artifacts" -o "$ready_to_run/inventory" -nologo >"$step_log" 2>&1 || fail "the publish failed (see $step_log)"
  service_command new_task inventory "$new_port"
  local built_command ready_to_run_command
  built_command=$(new_task_command "${new_task[@]}")
  new_task[-1]="$ready_to_run/inventory/${SERVICE_DLL[inventory]}.dll"
  ready_to_run_command=$(new_task_command "${new_task[@]}")
  step "Starting the bare baseline on :$baseline_port" "$LOGS/baseline.log"
  nohup dotnet "$ROOT/bench/Baseline/bin/$CONFIGURATION/net10.0/Baseline.dll" --urls "http://127.0.0.1:$baseline_port" \
    >"$step_log" 2>&1 </dev/null &
  echo $! >"$STATE/baseline.pid"
  wait_for 60 "the baseline" curl -sf "http://127.0.0.1:$baseline_port/health"

  local pids="" process
  for process in "${SERVICES[@]}" "${BENCH_PROCESSES[@]}"; do pids+="$process=$(cat "$STATE/$process.pid"),"; done
  # The viewer's CPU too: in the telemetry scenario it takes in the traced inventory's spans on the same two cores.
  if [ -f "$STATE/viewer.pid" ]; then pids+="viewer=$(cat "$STATE/viewer.pid"),"; fi
  step "Running the benchmark ($1)" "$LOGS/bench.log"
  BENCH_INVENTORY_URL="http://127.0.0.1:${SERVICE_PORT[inventory]}" BENCH_CUSTOMERS_URL="http://127.0.0.1:${SERVICE_PORT[customers]}" \
  BENCH_PAYMENTS_URL="http://127.0.0.1:${SERVICE_PORT[payments]}" BENCH_LOCATIONS_URL="http://127.0.0.1:${SERVICE_PORT[locations]}" \
  BENCH_LOCATIONS_FALLBACK_URL="http://127.0.0.1:$fallback_port" BENCH_BASELINE_URL="http://127.0.0.1:$baseline_port" \
  BENCH_INVENTORY_UNTRACED_URL="http://127.0.0.1:$untraced_port" BENCH_INVENTORY_TRACED_URL="http://127.0.0.1:$traced_port" \
  BENCH_INVENTORY_NEW_URL="http://127.0.0.1:$new_port" BENCH_INVENTORY_NEW_COMMAND="$built_command" \
  BENCH_INVENTORY_NEW_READY_TO_RUN_COMMAND="$ready_to_run_command" \
  BENCH_LOAD_BALANCER_URL="http://127.0.0.1:$LB_PORT" BENCH_PIDS="${pids%,}" \
  BENCH_READY_SECONDS="$(paste -sd, "$STATE/ready-seconds")" \
  BENCH_STRIPE_URL="http://127.0.0.1:$STRIPE_PORT" BENCH_STRIPE_KEY="$(secret_value mycomputer/stripe-secret-key)" \
  BENCH_STRIPE_WEBHOOK_SECRET="$(secret_value mycomputer/stripe-webhook-secret)" \
    dotnet "$ROOT/bench/LoadGenerator/bin/$CONFIGURATION/net10.0/LoadGenerator.dll" "$1" --out "$2" "${@:3}" 2>&1 | tee "$step_log"
  local status=${PIPESTATUS[0]}
  stop_pid "$STATE/inventory-new.pid" # the generator stops the new task; this is for a generator that died first
  return "$status"
}

new_task_command() { # new_task_command <command...>: it as one line for bash -c, which notes its pid and logs as the others do
  echo "echo \$\$ >$(printf %q "$STATE/inventory-new.pid"); exec $(printf '%q ' "$@")>$(printf %q "$LOGS/inventory-new.log") 2>&1 </dev/null"
}

cmd_bench() {
  local mode=--full only=()
  while [ $# -gt 0 ]; do
    case $1 in
      --smoke) mode=--smoke ;;
      --only) only=(--only "${2:?--only needs the start of a scenario name}"); shift ;;
      *) echo "usage: ./dev bench [--smoke] [--only <scenario name start>]" >&2; exit 2 ;;
    esac
    shift
  done
  use_profile bench
  ensure_packages bench
  trap 'stop_pid "$STATE/haproxy.pid"; stop_services; stop_stripe_emulator; stop_viewer; stop_emulator; stop_redis; stop_postgres' EXIT
  # Durable, as in production (the test stack trades that for speed).
  start_postgres
  start_redis
  start_emulator
  service_environment
  build
  # The Stripe emulator starts empty, so payments' records of what it held start empty too; otherwise the reconciler
  # would spend the run asking about thousands of PaymentIntents that no longer exist. The rest of the data set stays.
  drop_databases payments
  create_databases
  migrate
  start_stripe_emulator
  start_services
  start_load_balancer
  local results="$ROOT/bench/results"
  [ ${#only[@]} -gt 0 ] && results="$STATE/results" # a partial run leaves the full report alone
  run_benchmark "$mode" "$results" "${only[@]}" || fail "the benchmark had errors (see above)"
}
