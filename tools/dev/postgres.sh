# shellcheck shell=bash
# PostgreSQL with PostGIS: one cluster per profile, a database per service. Sourced by ./dev.

PG_BIN=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_home() {
  # PostgreSQL refuses to run as root, so as root it runs as the postgres user, which must reach its folder.
  local home="$STATE"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
    home="/var/tmp/mycomputer-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)-$PROFILE"
  fi
  echo "$home"
}

start_postgres() { # start_postgres <extra server settings...>
  local home; home="$(pg_home)"
  local data="$home/postgres"
  step "Starting PostgreSQL + PostGIS on 127.0.0.1:$PG_PORT" "$home/postgres.log"
  mkdir -p "$data"
  touch "$step_log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data" "$step_log"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile; pwfile="$(mktemp)"; echo postgres >"$pwfile"; chmod 644 "$pwfile"
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 >>"$step_log" 2>&1 \
      || { rm -f "$pwfile"; fail "initdb failed"; }
    rm -f "$pwfile"
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$step_log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=400 $*" >/dev/null \
      || fail "PostgreSQL did not start"
  fi
  export PGPASSWORD=postgres
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
      END IF; END \$\$;" >>"$step_log" 2>&1 || fail "could not create the $DB_USER role"
  note "data: $data"
}

psql_admin() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }

drop_databases() { # drop_databases [service...]: every service's by default
  local services=("${@:-${DATABASES[@]}}")
  step "Dropping the databases of ${services[*]}" "$LOGS/postgres-setup.log"
  for service in "${services[@]}"; do
    psql_admin -c "DROP DATABASE IF EXISTS $service WITH (FORCE)" >>"$step_log" 2>&1 || fail "could not drop database $service"
  done
}

create_databases() {
  step "Creating one database per service" "$LOGS/postgres-setup.log"
  for service in "${DATABASES[@]}"; do
    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$service'")" ]; then
      psql_admin -c "CREATE DATABASE $service OWNER $DB_USER" >>"$step_log" 2>&1 || fail "could not create database $service"
    fi
  done
  psql_admin -d locations -c "CREATE EXTENSION IF NOT EXISTS postgis" >>"$step_log" 2>&1 || fail "could not enable PostGIS"
}

stop_postgres() {
  local data; data="$(pg_home)/postgres"
  if [ -f "$data/PG_VERSION" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
}
