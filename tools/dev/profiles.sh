# shellcheck shell=bash
# The three stacks (up, test, bench): their ports, folders and settings. Sourced by ./dev.

use_profile() { # up and test run side by side: different ports and folders
  PROFILE=$1
  STATE="$ROOT/.local/$PROFILE"
  # What only the test and benchmark stacks' services get: one client (this machine) sends all their traffic, far
  # past the per-IP limit meant for the internet; one bench customer stands for thousands in the throughput
  # scenarios (the flash sale's 2,000 customers ask once for one unit each, far below any per-customer limit); the
  # journey's one customer takes a product's whole shelf; the benchmark's tokens must outlast its run.
  STACK_ENV=()
  PG_SETTINGS=()
  if [ "$PROFILE" = up ]; then
    PG_PORT=55432 REDIS_PORT=56379 AWS_PORT=4566 STRIPE_PORT=12111 LB_PORT=8080 CONFIGURATION=Release
    VIEWER_PORT=18888 OTLP_PORT=18889 # the telemetry viewer's pages, and where the services send it their telemetry
    RESERVATION_TTL=900 RESERVATION_SWEEP_SECONDS=5
  elif [ "$PROFILE" = bench ]; then
    PG_PORT=55434 REDIS_PORT=56381 AWS_PORT=4568 STRIPE_PORT=12113 LB_PORT=28080 CONFIGURATION=Release
    VIEWER_PORT=28888 OTLP_PORT=28889 # the collector's stand-in when the benchmark measures what telemetry costs
    RESERVATION_TTL=900 RESERVATION_SWEEP_SECONDS=5
    for service in "${SERVICES[@]}"; do SERVICE_PORT[$service]=$((SERVICE_PORT[$service] + 20000)); done
    STACK_ENV=(RATE_LIMIT_REQUESTS=1000000000 CUSTOMER_WRITE_RATE_LIMIT=1000000000 MAX_PENDING_RESERVATIONS_PER_CUSTOMER=1000000
      ACCESS_TOKEN_LIFETIME_SECONDS=3600)
  else
    # The tests' own stack, beside a running ./dev up: services 10000 ports above their own, the load balancer on 18080.
    # Reservations there expire in 20 s (a shopper's checkout in the browser fits, the journey's expiry branch does not
    # wait 15 minutes), and a stopping service drains for 4 s (two of the load balancer's 1 s checks, and room to spare)
    # so the fault suite's rolling restarts take seconds, not minutes. TEST_PORT_OFFSET moves every port of this stack, so two checkouts can run their tests at once.
    local o=${TEST_PORT_OFFSET:-0}
    PG_PORT=$((55433 + o)) REDIS_PORT=$((56380 + o)) AWS_PORT=$((4567 + o)) STRIPE_PORT=$((12112 + o)) LB_PORT=$((18080 + o))
    CONFIGURATION=Debug RESERVATION_TTL=20 RESERVATION_SWEEP_SECONDS=1
    for service in "${SERVICES[@]}"; do SERVICE_PORT[$service]=$((SERVICE_PORT[$service] + 10000 + o)); done
    # The admin account is the one ./dev up makes, so the security suite can reach the admin routes' validation.
    STACK_ENV=(RATE_LIMIT_REQUESTS=1000000000 CUSTOMER_WRITE_RATE_LIMIT=1000000000 MAX_PENDING_RESERVATIONS_PER_CUSTOMER=1000000
      MAX_UNITS_PER_PRODUCT_PER_CUSTOMER=1000000 MAX_OPEN_PAYMENTS_PER_CUSTOMER=1000000 MAX_FAILED_PAYMENTS_PER_HOUR=1000000
      DRAIN_DELAY_SECONDS=4 ADMIN_EMAIL=$DEFAULT_ADMIN_EMAIL ADMIN_PASSWORD=$DEFAULT_ADMIN_PASSWORD)
    # Test data is thrown away, so durability is traded for speed. A wait on a lock past a second is logged, with who holds it.
    PG_SETTINGS=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c log_lock_waits=on)
  fi
  LOGS="$STATE/logs"
  mkdir -p "$LOGS"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=$REGION AWS_DEFAULT_REGION=$REGION
  export AWS_ENDPOINT_URL="http://127.0.0.1:$AWS_PORT"
}
