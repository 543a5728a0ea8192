# shellcheck shell=bash
# The Stripe emulator, and ./dev stripe: the customer's part of a payment. Sourced by ./dev.


start_stripe_emulator() {
  step "Starting the Stripe emulator on 127.0.0.1:$STRIPE_PORT" "$LOGS/stripe.log"
  if curl -s -o /dev/null "http://127.0.0.1:$STRIPE_PORT/v1/payment_intents" 2>/dev/null; then note "already running"; return; fi
  STRIPE_WEBHOOK_URL="http://127.0.0.1:${SERVICE_PORT[payments]}/api/payments/webhooks/stripe" \
    WEBHOOK_ENDPOINT_SECRET="$(secret_value mycomputer/stripe-webhook-secret)" \
    nohup dotnet "$ROOT/tools/StripeEmulator/bin/$CONFIGURATION/net10.0/StripeEmulator.dll" --urls "http://127.0.0.1:$STRIPE_PORT" \
    >"$step_log" 2>&1 </dev/null &
  echo $! >"$STATE/stripe.pid"
  wait_for 30 "the Stripe emulator" curl -s -o /dev/null "http://127.0.0.1:$STRIPE_PORT/v1/payment_intents"
}

stop_stripe_emulator() { stop_pid "$STATE/stripe.pid"; }

cmd_stripe() {
  [ "${1:-}" = confirm ] && [ -n "${2:-}" ] || { echo "usage: ./dev stripe confirm <payment_intent id or client secret> [payment method]" >&2; exit 2; }
  use_profile up
  local intent="${2%%_secret_*}" method="${3:-pm_card_visa}"
  curl -s -X POST "http://127.0.0.1:$STRIPE_PORT/v1/payment_intents/$intent/confirm" \
    -H "Authorization: Bearer $(secret_value mycomputer/stripe-secret-key)" -d "payment_method=$method"
  echo
}
