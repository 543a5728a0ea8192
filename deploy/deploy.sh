#!/usr/bin/env bash
# Deploys the services of topology.json to ECS Fargate behind the ALB, as a rolling update.
#
#   deploy/deploy.sh [--stack <platform stack>] <image tag>
#
# First each service with a database has its migrations applied by a one-off task (deploy/ecs-task-defs/
# <service>-migrate.json), and the deploy stops if one fails. Then each service's stack, <platform stack>-<service>
# (deploy/cloudformation/services/<service>.json: its task definition, target group, listener rule, ECS service,
# autoscaling and alarms), is created or updated to the image tag, all at once; CloudFormation waits until the service
# is stable and rolls the stack back when it is not (the ECS circuit breaker stops a deployment whose tasks fail).
# After a service's first deploy, every service starts its tasks again, so that each reaches the new one through
# Service Connect. Running it again with the same tag changes no service.
#
# The placeholders (${ClusterName}, ${DatabaseHost}, ...) are the outputs of the platform stack, built from
# deploy/cloudformation/platform.yaml and read with --stack (default mycomputer-$EnvironmentName); a variable already
# set in the environment wins. AccountId, Partition and Region come from the AWS CLI's credentials and region.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() { printf 'deploy: %s\n' "$*" >&2; exit 1; }
say() { printf '==> %s\n' "$*"; }

stack=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a stack name}"; shift 2 ;;
    -h|--help) sed -n '/^set -euo/q;2,$p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || fail "usage: deploy/deploy.sh [--stack <name>] <image tag>"
[[ "$1" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$1' is not a valid image tag"
export ImageTag="$1"
for tool in aws jq envsubst; do command -v "$tool" >/dev/null || fail "$tool is required"; done

# ---------------------------------------------------------------------------------------------------- settings

if [ -n "$stack" ]; then
  say "Reading the outputs of stack $stack"
  while IFS=$'\t' read -r name value; do
    [ -n "${!name:-}" ] || export "$name=$value"
  done < <(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text)
fi
: "${Region:=${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region || true)}}}"
[ -n "$Region" ] || fail "no region: set AWS_REGION"
export Region AWS_DEFAULT_REGION="$Region"
if [ -z "${AccountId:-}" ] || [ -z "${Partition:-}" ]; then
  read -r AccountId Partition < <(aws sts get-caller-identity --query '[Account, Arn]' --output text | sed 's/arn:\([^:]*\):.*/\1/')
fi
export AccountId Partition

mapfile -t services < <(jq -r '.services | keys[]' "$DEPLOY/topology.json")
migrations=("$DEPLOY"/ecs-task-defs/*-migrate.json)
templates=("$DEPLOY"/cloudformation/services/*.json)

# Every placeholder of the migrate tasks and every parameter of the services' templates must have a value, or nothing
# is deployed.
mapfile -t names < <({ grep -oh '\${[A-Za-z]*}' "${migrations[@]}" | tr -d '${}'; jq -r '.Parameters | keys[]' "${templates[@]}"; } | sort -u)
missing=()
for name in "${names[@]}" PrivateSubnets TasksSecurityGroup ServicesDeployRoleArn; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] || fail "no value for: ${missing[*]} (pass --stack, or set them in the environment)"
: "${stack:=mycomputer-$EnvironmentName}"
substitutions="$(printf '${%s} ' "${names[@]}")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------------------------------- migrations

migrate() { # <service> -> the one-off task's ARN, started
  local definition started
  envsubst "$substitutions" <"$DEPLOY/ecs-task-defs/$1-migrate.json" >"$work/$1-migrate.json"
  definition=$(aws ecs register-task-definition --cli-input-json "file://$work/$1-migrate.json" \
    --query taskDefinition.taskDefinitionArn --output text)
  started=$(aws ecs run-task --cluster "$ClusterName" --task-definition "$definition" --launch-type FARGATE --started-by deploy \
    --network-configuration "awsvpcConfiguration={subnets=[$PrivateSubnets],securityGroups=[$TasksSecurityGroup],assignPublicIp=DISABLED}" \
    --query '[tasks[0].taskArn, failures[0].reason]' --output text)
  # RunTask answers a task it could not place (no capacity, a missing image) with a failure, not an error.
  [[ "$started" == arn:*$'\t'None ]] || fail "$1's migrations could not start: ${started#*$'\t'}"
  echo "${started%$'\t'*}"
}

tasks=()
for Service in "${services[@]}"; do
  [ -f "$DEPLOY/ecs-task-defs/$Service-migrate.json" ] || continue
  say "$Service: applying its migrations (image tag $ImageTag)"
  tasks+=("$(migrate "$Service")")
done
if [ ${#tasks[@]} -gt 0 ]; then
  # The waiter gives up after 10 minutes; a long migration gets three of those.
  for attempt in 1 2 3; do
    aws ecs wait tasks-stopped --cluster "$ClusterName" --tasks "${tasks[@]}" && break
    [ "$attempt" -lt 3 ] || fail "the migrations did not finish within 30 minutes: ${tasks[*]}"
  done
  failed=$(aws ecs describe-tasks --cluster "$ClusterName" --tasks "${tasks[@]}" --output text \
    --query 'tasks[?containers[?exitCode != `0`]].[taskDefinitionArn, stoppedReason]')
  [ -z "$failed" ] || fail "a migration failed, so no service was changed (its log group's migrate stream says why): $failed"
  say "Migrations applied"
fi

# ---------------------------------------------------------------------------------------------------- the services' stacks

deploy_service() { # <service>: creates or updates its stack; a stack whose first create rolled back is made anew
  local name="$stack-$1" template="$DEPLOY/cloudformation/services/$1.json" status parameters=()
  status=$(aws cloudformation describe-stacks --stack-name "$name" --query 'Stacks[0].StackStatus' --output text 2>/dev/null || echo NONE)
  if [ "$status" = ROLLBACK_COMPLETE ]; then
    # It holds nothing (a service keeps no data), and CloudFormation can only delete it.
    aws cloudformation delete-stack --stack-name "$name"
    aws cloudformation wait stack-delete-complete --stack-name "$name"
  fi
  case "$status" in NONE | ROLLBACK_COMPLETE) touch "$work/$1.created" ;; esac
  for parameter in $(jq -r '.Parameters | keys[]' "$template"); do parameters+=("$parameter=${!parameter}"); done
  aws cloudformation deploy --stack-name "$name" --template-file "$template" --no-fail-on-empty-changeset \
    --role-arn "$ServicesDeployRoleArn" --parameter-overrides "${parameters[@]}" \
    --tags "Environment=$EnvironmentName" "Application=$(jq -r --arg s "$1" '.services[$s].application' "$DEPLOY/topology.json")" Team=platform CostCenter=engineering ManagedBy=cloudformation Owner=platform@mycomputer.com \
    || { aws cloudformation describe-stack-events --stack-name "$name" --output text --max-items 20 \
           --query "StackEvents[?ends_with(ResourceStatus, 'FAILED')].[LogicalResourceId,ResourceStatusReason]"; return 1; }
}

declare -A deploying
for Service in "${services[@]}"; do
  say "$Service: stack $stack-$Service to image tag $ImageTag"
  deploy_service "$Service" >"$work/$Service.log" 2>&1 &
  deploying[$Service]=$!
done
failed=()
for Service in "${services[@]}"; do
  wait "${deploying[$Service]}" || failed+=("$Service")
  sed "s/^/    $Service: /" "$work/$Service.log"
done
[ ${#failed[@]} -eq 0 ] || fail "not deployed: ${failed[*]} (each rolled back to what it ran before; its stack's events say why)"

# A task reaches through Service Connect only the services that existed when it started, and the services call each
# other: after a service's first deploy, every task starts again, now that all of them are there.
if compgen -G "$work/*.created" >/dev/null; then
  say "A service was deployed for the first time: starting every service's tasks again, so that each reaches the others"
  for Service in "${services[@]}"; do
    aws ecs update-service --cluster "$ClusterName" --service "$Service" --force-new-deployment >/dev/null
  done
  aws ecs wait services-stable --cluster "$ClusterName" --services "${services[@]}" \
    || fail "the services did not become stable after starting again (aws ecs describe-services says why)"
fi
say "Deployed $ImageTag: ${services[*]}"
