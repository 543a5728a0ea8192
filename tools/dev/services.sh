# shellcheck shell=bash
# Building, migrating and running the services; ./dev migration. Sourced by ./dev.

service_environment() { # the environment every service gets; the seed's variables, pointed at the local stack
  # The admin's credentials: what the in-process tests use to make a database and a key prefix per test class. Each
  # service of the stack runs with its own instead (service_credentials).
  export DB_HOST=127.0.0.1 DB_PORT=$PG_PORT DB_USER=$DB_USER DB_PASSWORD=$DB_PASSWORD
  export REDIS_URL="redis://$REDIS_ADMIN_USER:$REDIS_ADMIN_PASSWORD@127.0.0.1:$REDIS_PORT"
  export "${BUCKET_AND_QUEUE_VARIABLES[@]}"
  export SESSION_TIMEOUT=3600 POSTGIS_ENABLED=true MAX_SEARCH_RADIUS=100 LOG_LEVEL=info
  # Service to service through the load balancer, as ECS Service Connect spreads them over a service's healthy tasks:
  # a restarting instance of customers or inventory is never the only one asked.
  export JWT_JWKS_URL="http://127.0.0.1:$LB_PORT/api/customers/.well-known/jwks.json"
  export JWT_JWKS_ALLOW_HTTP=true # the keys never leave this machine
  export INVENTORY_URL="http://127.0.0.1:$LB_PORT/" PAYMENTS_URL="http://127.0.0.1:$LB_PORT/" STRIPE_API_BASE="http://127.0.0.1:$STRIPE_PORT"
  export CUSTOMERS_URL="http://127.0.0.1:$LB_PORT/" LOCATIONS_URL="http://127.0.0.1:$LB_PORT/"
}

# What only the stack's storefront gets, not the tests' own processes (their storefront chooses its own): its payment
# page confirms with a test card at the Stripe emulator, where Stripe.js would take the card.
storefront_environment() {
  echo "STRIPE_EMULATOR_URL=http://127.0.0.1:$STRIPE_PORT" "STRIPE_EMULATOR_SECRET_KEY=$(secret_value mycomputer/stripe-secret-key)"
}

build() {
  step "Building ($CONFIGURATION)" "$STATE/logs/build.log"
  dotnet tool restore >"$step_log" 2>&1 || fail "dotnet tool restore failed"
  dotnet build "$ROOT/Platform.sln" -c "$CONFIGURATION" -nologo -clp:ErrorsOnly >>"$step_log" 2>&1 || fail "dotnet build failed"
}

db_password() { echo "$1-db-local"; } # db_password <service>: its PostgreSQL role's password on this machine

service_credentials() { # service_credentials <service>: its own PostgreSQL role and Redis user, as VAR=value words
  echo "DB_USER=$1" "DB_PASSWORD=$(db_password "$1")" "REDIS_URL=redis://$1:$(redis_password "$1")@127.0.0.1:$REDIS_PORT"
}

# The role migrations run as: the admin, which owns the schema and gives each service's role its privileges.
migration_credentials() { echo "DB_MIGRATION_USER=$DB_USER" "DB_MIGRATION_PASSWORD=$DB_PASSWORD"; }

service_dll() { echo "$ROOT/services/$1/bin/$CONFIGURATION/net10.0/${SERVICE_DLL[$1]}.dll"; }

migrate() {
  step "Applying migrations (the one-off 'migrate' mode an ECS task runs) and loading the demo data" "$LOGS/migrate.log"
  : >"$step_log"
  # As the owner, which also creates the service's own role and grants it its privileges; the demo data is then loaded
  # as that role, as the service would write it.
  for service in "${DATABASES[@]}"; do
    # shellcheck disable=SC2046 # the credentials are words without spaces
    env $(service_credentials "$service") $(migration_credentials) DB_NAME="$service" PORT="${SERVICE_PORT[$service]}" \
      dotnet "$(service_dll "$service")" migrate demo-data >>"$step_log" 2>&1 \
      || fail "migrating $service or loading its demo data failed"
  done
}

service_command() { # service_command <array> <service> <port> [VAR=value...]: fills <array> with what runs a built service
  local -n into=$1; local service=$2 port=$3 extra=(); shift 3
  if [ "$service" = storefront ]; then read -ra extra <<<"$(storefront_environment)"; fi
  # shellcheck disable=SC2046,SC2034 # the credentials are words without spaces; the array is the caller's
  into=(env "${STACK_ENV[@]}" $(service_credentials "$service") DB_NAME="$service" PORT="$port" DB_MIGRATE_ON_STARTUP=false
    RESERVATION_TTL="$RESERVATION_TTL" RESERVATION_SWEEP_SECONDS="$RESERVATION_SWEEP_SECONDS" "${extra[@]}" "$@"
    dotnet "$(service_dll "$service")")
}

launch_service() { # launch_service <name> <service> <port> [VAR=value...]: runs a built service in the background
  local name=$1 command=(); shift
  service_command command "$@"
  nohup "${command[@]}" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}

start_services() { # one at a time, each timed from its launch to /health/ready (the benchmark reports it)
  : >"$STATE/ready-seconds"
  for service in "${SERVICES[@]}"; do
    local port=${SERVICE_PORT[$service]}
    step "Starting $service on :$port" "$LOGS/$service.log"
    if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then note "already running"; continue; fi
    local started; started=$(date +%s%N)
    launch_service "$service" "$service" "$port"
    wait_for 60 "$service /health/ready" curl -sf "http://127.0.0.1:$port/health/ready"
    local ready; ready=$(awk -v n="$(( $(date +%s%N) - started ))" 'BEGIN { printf "%.2f", n / 1e9 }')
    echo "$service=$ready" >>"$STATE/ready-seconds"
    note "ready in ${ready}s"
  done
}

stop_services() {
  for process in "${SERVICES[@]}" "${BENCH_PROCESSES[@]}"; do stop_pid "$STATE/$process.pid"; done
  for service in "${SERVICES[@]}"; do stop_pid "$STATE/$service-2.pid"; done
  stop_pid "$STATE/inventory-new.pid" # the benchmark's new task, if the benchmark was stopped while it lived
}

# A second instance of a service (the fault suite's rolling restart) listens 10 ports above the first.
second_port() { echo $((SERVICE_PORT[$1] + 10)); }

cmd_migration() { # dotnet ef, with the service as its own startup project (its Data/DesignTimeFactory makes the DbContext)
  [ $# -eq 2 ] && [[ " ${DATABASES[*]} " == *" $1 "* ]] \
    || { echo "usage: ./dev migration <$(IFS='|'; echo "${DATABASES[*]}")> <MigrationName>" >&2; exit 2; }
  dotnet tool restore >/dev/null
  dotnet ef migrations add "$2" --project "$ROOT/services/$1" --context "${SERVICE_DLL[$1]}Db" --output-dir Data/Migrations
}
