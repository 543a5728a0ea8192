# shellcheck shell=bash
# ./dev test and ./dev deps: the stacks the tests run against, and how their results are counted. Sourced by ./dev.

cmd_test() {
  use_profile test
  local target="${1:-$ROOT/Platform.sln}"
  local filter=() # ./dev test <project> --filter <expression>: only the tests dotnet test's filter selects
  if [ "${2:-}" = --filter ]; then filter=(--filter "${3:?--filter needs an expression}"); fi
  # The whole suite (or the journey, the security suite or the fault suite on its own) also runs against the stack as
  # processes. The fault suite stops and pauses what every other test shares, so it runs alone, after them
  # (Faults.Tests.csproj says how a solution-wide dotnet test skips it).
  local with_stack=no faults=no
  # The tests of the stack never skip here (TestSupport/StackFactAttribute.cs): without their stack they fail.
  export RUN_BY_DEV_TEST=true
  case "$target" in
    *Platform.sln) with_stack=yes; faults=after ;;
    *Journey.Tests*|*Security.Tests*|*Storefront.EndToEnd*) with_stack=yes ;;
    *Faults.Tests*) with_stack=yes; faults=only ;;
  esac
  ensure_packages test
  trap 'stop_pid "$STATE/haproxy.pid"; stop_services; stop_stripe_emulator; stop_emulator; stop_redis; stop_postgres' EXIT
  start_postgres "${PG_SETTINGS[@]}"
  start_redis
  start_emulator
  service_environment
  build
  if [ "$with_stack" = yes ]; then
    drop_databases # the stack's data is the tests' own: each run starts from the demo data alone
    create_databases
    migrate
    start_stripe_emulator
    start_services
    start_load_balancer
    stack_variables
  fi
  export INVENTORY_QUEUE="$INVENTORY_QUEUE-tests" PAYMENTS_QUEUE="$PAYMENTS_QUEUE-tests"
  local status=0 passed=0 failed=0
  : >"$STATE/failed-tests"
  if [ "$faults" != only ]; then
    step "Running the tests (dotnet test $(basename "$target"))" "$LOGS/test.log"
    if [ "$faults" = after ]; then
      # The browser tests on their own, after the others (Storefront.EndToEnd.csproj says why).
      run_tests normal "$target" -p:SkipBrowserTests=true "${filter[@]}"
      step "Running the browser tests (dotnet test Storefront.EndToEnd: Chromium, on their own)" "$LOGS/browser.log"
      run_tests normal "$ROOT/tests/Storefront.EndToEnd/Storefront.EndToEnd.csproj" "${filter[@]}"
    else
      run_tests normal "$target" "${filter[@]}"
    fi
  fi
  if [ "$faults" != no ]; then
    step "Running the fault suite (dotnet test Faults.Tests: stops and pauses the stack's dependencies under load)" "$LOGS/faults.log"
    # Detailed, so each scenario's figures are printed when it passes too.
    run_tests detailed "$ROOT/tests/Faults.Tests/Faults.Tests.csproj" -p:FaultSuite=true "${filter[@]}"
  fi
  if [ "$with_stack" = yes ] && [ "$faults" != only ]; then
    # The benchmark's short run on a small data set, so it keeps working: every scenario, no errors.
    if run_benchmark --smoke "$STATE/bench" >/dev/null; then
      note "benchmark smoke run: every scenario ran without errors ($STATE/bench/)"
    else
      note "benchmark smoke run FAILED (see $LOGS/bench.log)"
      status=1
      failed=$((failed + 1))
    fi
  fi
  echo
  # The failed tests' names again at the very end, where a CI log's tail shows them.
  if [ -s "$STATE/failed-tests" ]; then echo "Failed tests:"; cat "$STATE/failed-tests"; fi
  echo "$passed passed, $failed failed"
  return "$status"
}

run_tests() { # run_tests <console verbosity> <project or solution> [dotnet test options...]: adds to passed, failed and status
  local verbosity=$1 run=0; shift
  dotnet test "$@" --no-build -nologo --logger "console;verbosity=$verbosity" 2>&1 | tee "$step_log" || run=$?
  # Each test project ends with a summary: "Total tests: 12", "     Passed: 10", "     Failed: 1", "    Skipped: 1".
  local ran_passed ran_failed ran_skipped
  ran_passed=$(awk '/^ +Passed: +[0-9]+$/ { s += $2 } END { print s + 0 }' "$step_log")
  ran_failed=$(awk '/^ +Failed: +[0-9]+$/ { s += $2 } END { print s + 0 }' "$step_log")
  ran_skipped=$(awk '/^ +Skipped: +[0-9]+$/ { s += $2 } END { print s + 0 }' "$step_log")
  if [ "$run" -ne 0 ] && [ "$ran_failed" -eq 0 ]; then
    note "dotnet test failed before any test could fail (see $step_log)"
    ran_failed=1
  fi
  # ./dev test runs every test: one that skipped itself is a failure.
  if [ "$ran_skipped" -ne 0 ]; then
    note "$ran_skipped tests were skipped (see $step_log for why)"
    grep -E '^ +Skipped [A-Za-z_]' "$step_log" | sed 's/Skipped/Failed (skipped)/' >>"$STATE/failed-tests" || true
    ran_failed=$((ran_failed + ran_skipped)) run=1
  fi
  passed=$((passed + ran_passed)) failed=$((failed + ran_failed))
  grep -E '^ +Failed [A-Za-z_]' "$step_log" >>"$STATE/failed-tests" || true
  if [ "$run" -ne 0 ]; then status=$run; fi
}

stack_variables() { # what the tests that drive the stack as processes read: where it is and how to reach into it
  export STACK_URL="http://127.0.0.1:$LB_PORT" STACK_STRIPE_URL="http://127.0.0.1:$STRIPE_PORT"
  # The shop is the load balancer's default route, as on the ALB.
  export STACK_STOREFRONT_URL="$STACK_URL/"
  STACK_STRIPE_KEY="$(secret_value mycomputer/stripe-secret-key)"
  export STACK_STRIPE_KEY
  local ports="" service
  for service in "${SERVICES[@]}"; do ports+="$service=${SERVICE_PORT[$service]},$service-2=$(second_port "$service"),"; done
  # Pid files (<process>.pid) are in STACK_STATE; PostgreSQL's postmaster is the first line of STACK_PG_DATA/postmaster.pid.
  # Each process's log is STACK_LOGS/<process>.log.
  export STACK_DEV="$ROOT/dev" STACK_STATE="$STATE" STACK_LOGS="$LOGS" STACK_PG_DATA="$(pg_home)/postgres" STACK_SERVICE_PORTS="${ports%,}"
  export STACK_DB="Host=127.0.0.1;Port=$PG_PORT;Username=$DB_USER;Password=$DB_PASSWORD"
  # Each service's own credentials (STACK_DB_INVENTORY: a connection string without a database; STACK_REDIS_INVENTORY: a
  # REDIS_URL), so the security suite can show what each may not reach.
  for service in "${SERVICES[@]}"; do
    export "STACK_DB_${service^^}=Host=127.0.0.1;Port=$PG_PORT;Username=$service;Password=$(db_password "$service")"
    export "STACK_REDIS_${service^^}=redis://$service:$(redis_password "$service")@127.0.0.1:$REDIS_PORT"
  done
  export JOURNEY_URL="$STACK_URL" JOURNEY_STRIPE_URL="$STACK_STRIPE_URL" JOURNEY_STRIPE_KEY="$STACK_STRIPE_KEY"
  # The security suite logs in as the admin and signs webhooks as Stripe does, to show what a valid one changes.
  export STACK_ADMIN_EMAIL="$DEFAULT_ADMIN_EMAIL" STACK_ADMIN_PASSWORD="$DEFAULT_ADMIN_PASSWORD"
  STACK_WEBHOOK_SECRET="$(secret_value mycomputer/stripe-webhook-secret)"
  export STACK_WEBHOOK_SECRET
}

cmd_deps() { # ./dev deps [stop]: the test profile's dependencies alone, and the file that points dotnet test at them
  local file="$ROOT/.local/test/environment" before
  if [ "${1:-}" = stop ]; then use_profile test; stop_emulator; stop_redis; stop_postgres; rm -f "$file"; return; fi
  before=$(compgen -e | sort)
  use_profile test
  ensure_packages test
  start_postgres "${PG_SETTINGS[@]}"
  start_redis
  start_emulator
  service_environment
  export INVENTORY_QUEUE="$INVENTORY_QUEUE-tests" PAYMENTS_QUEUE="$PAYMENTS_QUEUE-tests"
  local name
  for name in $(comm -13 <(echo "$before") <(compgen -e | sort)) AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION \
    AWS_DEFAULT_REGION AWS_ENDPOINT_URL; do
    printf '%s=%s\n' "$name" "${!name}"
  done | sort -u >"$file"
  printf '\n\033[32mThe dependencies are up.\033[0m dotnet test (or an IDE) reads %s for the tests that run in-process;\n' "$file"
  printf 'the journey, security and browser tests skip themselves there (they drive the whole stack: ./dev test).\n'
  printf 'Stop them with ./dev deps stop.\n'
}
