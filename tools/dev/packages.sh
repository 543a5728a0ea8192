# shellcheck shell=bash
# The Debian packages and tools each command needs, installed when it can. Sourced by ./dev.

apt_updated=0
install_packages() { # install_packages <debian packages...>
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing: $*. Install them with: sudo apt-get update && sudo apt-get install -y $*"
  fi
  note "installing $*"
  if [ $apt_updated -eq 0 ]; then apt-get update -qq >>"$step_log" 2>&1 || fail "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$step_log" 2>&1 || fail "apt-get install $* failed"
}

ensure_packages() { # ensure_packages <up|test|bench>
  step "Checking packages" "$ROOT/.local/packages.log"
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
  [ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v haproxy >/dev/null || missing+=(haproxy)
  # jq reads the ALB's health check for haproxy's (and deploy/deploy.sh's files in the test command).
  command -v jq >/dev/null || missing+=(jq)
  # The test command checks docker-compose.yml with docker-compose (no Docker engine is needed for that), and runs
  # deploy/deploy.sh (envsubst) against the AWS emulator.
  # The benchmark (and its smoke run in the test command) measures the read paths with wrk.
  if [ "$1" != up ]; then command -v wrk >/dev/null || missing+=(wrk); fi
  if [ "$1" = test ]; then
    # The storefront's end-to-end tests drive Debian's Chromium through Playwright (which cannot download a browser here).
    command -v chromium >/dev/null || missing+=(chromium)
    [ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    command -v envsubst >/dev/null || missing+=(gettext-base)
  fi
  install_packages "${missing[@]}"
  command -v dotnet >/dev/null || fail "the .NET 10 SDK is required (https://dot.net)"
  command -v moto_server >/dev/null && command -v python3 >/dev/null || fail "moto_server (and its python3) is required: pip install 'moto[server]'"
  command -v aws >/dev/null || fail "the AWS CLI is required: pip install awscli"
  if [ "$1" = test ]; then
    command -v cfn-lint >/dev/null || fail "cfn-lint is required to check the CloudFormation template: pip install cfn-lint"
    # The services' OpenAPI documents are linted with Spectral (tools/openapi-lint), at the versions its lock file pins.
    command -v npm >/dev/null || fail "Node.js 20 and npm are required to lint the OpenAPI documents (https://nodejs.org)"
    local lint="$ROOT/tools/openapi-lint"
    if [ ! -f "$lint/node_modules/.package-lock.json" ] || [ "$lint/package-lock.json" -nt "$lint/node_modules/.package-lock.json" ]; then
      note "installing the OpenAPI linter (npm ci in tools/openapi-lint)"
      (cd "$lint" && npm ci --no-audit --no-fund) >>"$step_log" 2>&1 || fail "npm ci in tools/openapi-lint failed"
    fi
  fi
}
