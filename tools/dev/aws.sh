# shellcheck shell=bash
# The AWS emulator (moto) and the buckets, queues and secrets the services expect on it. Sourced by ./dev.

aws_local() { aws --endpoint-url "$AWS_ENDPOINT_URL" --output text "$@"; }

start_emulator() {
  step "Starting the AWS emulator (moto) on 127.0.0.1:$AWS_PORT" "$LOGS/moto.log"
  if ! curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1; then
    nohup moto_server -H 127.0.0.1 -p "$AWS_PORT" >"$step_log" 2>&1 </dev/null &
    echo $! >"$STATE/moto.pid"
    wait_for 60 "moto_server" curl -sf "$AWS_ENDPOINT_URL/moto-api/"
  fi
  create_aws_resources
}

create_aws_resources() {
  step "Creating buckets, queues (with dead-letter queues) and secrets" "$LOGS/aws-setup.log"
  # In-process tests get queues apart from the test stack's, so no test consumes the stack's events.
  local extra_queues="" arns
  if [ "$PROFILE" = test ]; then extra_queues="$INVENTORY_QUEUE-tests $PAYMENTS_QUEUE-tests"; fi
  arns=$(EXTRA_QUEUES=$extra_queues DEV_WEBHOOK_SECRET=$DEV_WEBHOOK_SECRET \
    python3 "$ROOT/deploy/local/create_aws_resources.py" 2>"$step_log") || fail "could not create the AWS resources"
  # NAME_ARN=arn lines, for the secrets the services read by ARN; kept beside the pid files for ./dev stack.
  while IFS='=' read -r name arn; do export "$name=$arn"; done <<<"$arns"
  printf '%s\n' "$arns" >"$STATE/secret-arns"
}

stop_emulator() { stop_pid "$STATE/moto.pid"; }

secret_value() { aws_local secretsmanager get-secret-value --secret-id "$1" --query SecretString; }
