# shellcheck shell=bash
# The telemetry viewer (the Aspire dashboard) that ./dev up sends traces, metrics and logs to. Sourced by ./dev.

# The standalone Aspire dashboard, from the package tools/TelemetryViewer restores: ./dev up's view of one request
# across the services, their metrics and their logs. It asks for no login, so it listens on this machine only.
start_viewer() {
  step "Starting the telemetry viewer (Aspire dashboard) on localhost:$VIEWER_PORT" "$LOGS/viewer.log"
  if [ "$(uname -m)" != x86_64 ]; then note "skipped: its package is built for x86-64 Linux only"; return; fi
  if curl -sf -o /dev/null "http://localhost:$VIEWER_PORT/"; then
    note "already running"
  else
    local project="$ROOT/tools/TelemetryViewer/TelemetryViewer.csproj" dashboard
    dotnet restore "$project" -nologo >"$step_log" 2>&1 || fail "could not restore the dashboard's package"
    dashboard="$(dotnet msbuild "$project" -nologo -getProperty:AspireDashboardPath)"
    [ -x "$dashboard" ] || fail "the dashboard's package has no executable at '$dashboard'"
    ASPNETCORE_URLS="http://localhost:$VIEWER_PORT" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$OTLP_PORT" \
      ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true ASPIRE_DASHBOARD_API_ENABLED=true DASHBOARD__API__AUTHMODE=Unsecured \
      nohup "$dashboard" >>"$step_log" 2>&1 </dev/null &
    echo $! >"$STATE/viewer.pid"
    wait_for 30 "the telemetry viewer" curl -sf -o /dev/null "http://localhost:$VIEWER_PORT/"
  fi
  VIEWER_URL="http://localhost:$VIEWER_PORT" VIEWER_OTLP="http://127.0.0.1:$OTLP_PORT"
}

stop_viewer() { stop_pid "$STATE/viewer.pid"; }
