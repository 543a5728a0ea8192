#!/usr/bin/env bash
# Deploys the services of topology.json to ECS Fargate behind the ALB, as a rolling update.
#
#   deploy/deploy.sh [--stack <cloudformation stack>] <image tag>
#
# For each service it registers a new revision of deploy/ecs-task-defs/<service>.json with the image tag, ensures
# its target group (deploy/alb/) and listener rule, creates or updates its ECS service (deploy/ecs-service.json:
# rolling, 100/200 %, circuit breaker with rollback) and its autoscaling (deploy/autoscaling.json), then waits until
# every service is stable and checks each runs the new revision. Running it again with a new tag is the next rolling
# update; with the same tag it changes nothing but registers identical revisions.
#
# The placeholders in those files (${ClusterName}, ${DatabaseHost}, ...) are the outputs of the stack built from
# deploy/cloudformation/platform.yaml, read with --stack; a variable already set in the environment wins. AccountId
# and Region come from the AWS CLI's credentials and region, ImageTag from the argument.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() { printf 'deploy: %s\n' "$*" >&2; exit 1; }
say() { printf '==> %s\n' "$*"; }

stack=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:?--stack needs a stack name}"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
: "${AccountId:=$(aws sts get-caller-identity --query Account --output text)}"
export AccountId

# Every placeholder the files use must have a value, or nothing is deployed.
templates=("$DEPLOY"/ecs-task-defs/*.json "$DEPLOY"/ecs-service.json "$DEPLOY"/alb/target-group.json "$DEPLOY"/autoscaling.json "$DEPLOY"/otel-collector.yaml)
per_service=(Service ServicePort TaskDefinitionArn TargetGroupArn AlbResourceLabel)
mapfile -t placeholders < <(grep -oh '\${[A-Za-z]*}' "${templates[@]}" | tr -d '${}' | sort -u)
missing=()
for name in "${placeholders[@]}" LoadBalancerArn HttpsListenerArn AlarmTopicArn; do
  [[ " ${per_service[*]} " == *" $name "* ]] && continue
  [ -n "${!name:-}" ] || missing+=("$name")
done
[ ${#missing[@]} -eq 0 ] || fail "no value for: ${missing[*]} (pass --stack, or set them in the environment)"
substitutions="$(printf '${%s} ' "${placeholders[@]}")"

render() { envsubst "$substitutions" <"$1"; }

# ---------------------------------------------------------------------------------------------------- steps

register_task_definition() { # <service> -> the new revision's ARN; the collector sidecar gets deploy/otel-collector.yaml
  render "$DEPLOY/otel-collector.yaml" >"$work/otel-collector.yaml"
  render "$DEPLOY/ecs-task-defs/$1.json" | jq --rawfile config "$work/otel-collector.yaml" \
    '(.containerDefinitions[] | select(.name == "aws-otel-collector") | .environment) += [{name: "AOT_CONFIG_CONTENT", value: $config}]' \
    >"$work/$1-task.json"
  aws ecs register-task-definition --cli-input-json "file://$work/$1-task.json" \
    --query taskDefinition.taskDefinitionArn --output text
}

ensure_target_group() { # -> the target group's ARN; settings are applied again if it exists
  local name="$EnvironmentName-$Service" arn
  render "$DEPLOY/alb/target-group.json" | jq '.Port |= tonumber' >"$work/$Service-target-group.json"
  arn=$(aws elbv2 describe-target-groups --names "$name" --query 'TargetGroups[0].TargetGroupArn' --output text 2>/dev/null || true)
  if [ -z "$arn" ] || [ "$arn" = None ]; then
    arn=$(aws elbv2 create-target-group --cli-input-json "file://$work/$Service-target-group.json" \
      --query 'TargetGroups[0].TargetGroupArn' --output text)
  else
    jq --arg arn "$arn" '{TargetGroupArn: $arn} + (. | {HealthCheckProtocol, HealthCheckPath, HealthCheckIntervalSeconds,
      HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount, Matcher, HealthCheckEnabled})' \
      "$work/$Service-target-group.json" >"$work/$Service-target-group-update.json"
    aws elbv2 modify-target-group --cli-input-json "file://$work/$Service-target-group-update.json" >/dev/null
  fi
  aws elbv2 modify-target-group-attributes --target-group-arn "$arn" \
    --cli-input-json "file://$DEPLOY/alb/target-group-attributes.json" >/dev/null
  echo "$arn"
}

ensure_listener_rule() { # routes the service's path (topology.json) on the HTTPS listener to its target group, at its priority
  local priority path conditions actions rule
  priority=$(jq -er --arg s "$Service" '.services[$s].listenerPriority' "$DEPLOY/topology.json") || fail "$Service is not in topology.json"
  path=$(jq -er --arg s "$Service" '.services[$s].pathPattern' "$DEPLOY/topology.json")
  conditions=$(jq -cn --arg path "$path" '[{Field: "path-pattern", PathPatternConfig: {Values: [$path]}}]')
  actions=$(jq -cn --arg tg "$TargetGroupArn" '[{Type: "forward", TargetGroupArn: $tg}]')
  rule=$(aws elbv2 describe-rules --listener-arn "$HttpsListenerArn" \
    --query "Rules[?Priority=='$priority'].RuleArn | [0]" --output text)
  if [ -z "$rule" ] || [ "$rule" = None ]; then
    aws elbv2 create-rule --listener-arn "$HttpsListenerArn" --priority "$priority" \
      --conditions "$conditions" --actions "$actions" >/dev/null
  else
    aws elbv2 modify-rule --rule-arn "$rule" --conditions "$conditions" --actions "$actions" >/dev/null
  fi
}

create_or_update_service() {
  render "$DEPLOY/ecs-service.json" | jq '
    .networkConfiguration.awsvpcConfiguration.subnets |= (map(split(",")) | add)
    | .loadBalancers[].containerPort |= tonumber
    | .serviceConnectConfiguration.services[].clientAliases[].port |= tonumber' >"$work/$Service-service.json"
  local status
  status=$(aws ecs describe-services --cluster "$ClusterName" --services "$Service" --query 'services[0].status' --output text)
  if [ "$status" = ACTIVE ]; then
    # The desired count is left to autoscaling; the rest is applied again, so the file stays the truth.
    jq '{cluster, service: .serviceName, taskDefinition, networkConfiguration, loadBalancers, healthCheckGracePeriodSeconds,
      deploymentConfiguration, serviceConnectConfiguration, propagateTags, enableECSManagedTags, platformVersion}' \
      "$work/$Service-service.json" >"$work/$Service-service-update.json"
    aws ecs update-service --cli-input-json "file://$work/$Service-service-update.json" >/dev/null
  else
    aws ecs create-service --cli-input-json "file://$work/$Service-service.json" >/dev/null
  fi
}

ensure_autoscaling() {
  local resource="service/$ClusterName/$Service" scaling="$DEPLOY/autoscaling.json"
  aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount \
    --resource-id "$resource" --min-capacity "$(jq .MinCapacity "$scaling")" --max-capacity "$(jq .MaxCapacity "$scaling")" >/dev/null
  render "$scaling" >"$work/$Service-scaling.json"
  local count i
  count=$(jq '.Policies | length' "$work/$Service-scaling.json")
  for ((i = 0; i < count; i++)); do
    jq --argjson i "$i" '.Policies[$i]' "$work/$Service-scaling.json" >"$work/$Service-policy.json"
    aws application-autoscaling put-scaling-policy --service-namespace ecs --scalable-dimension ecs:service:DesiredCount \
      --resource-id "$resource" --policy-type TargetTrackingScaling --cli-input-json "file://$work/$Service-policy.json" >/dev/null
  done
}

ensure_alarms() { # the seeds' alarms on each service: unhealthy targets, CPU above 80 % and memory above 85 %
  local name="mycomputer-$EnvironmentName-$Service" notify=(--alarm-actions "$AlarmTopicArn" --ok-actions "$AlarmTopicArn")
  aws cloudwatch put-metric-alarm --alarm-name "$name-unhealthy-targets" "${notify[@]}" \
    --alarm-description "$Service has unhealthy targets behind the ALB" \
    --namespace AWS/ApplicationELB --metric-name UnHealthyHostCount --statistic Maximum --period 60 \
    --evaluation-periods 3 --datapoints-to-alarm 3 --threshold 0 --comparison-operator GreaterThanThreshold \
    --dimensions "Name=TargetGroup,Value=${TargetGroupArn##*:}" "Name=LoadBalancer,Value=${LoadBalancerArn#*:loadbalancer/}" \
    --treat-missing-data notBreaching
  local metric threshold
  for metric in CPUUtilization:80 MemoryUtilization:85; do
    threshold=${metric#*:}; metric=${metric%:*}
    aws cloudwatch put-metric-alarm --alarm-name "$name-${metric%Utilization}" "${notify[@]}" \
      --alarm-description "$Service's average $metric above $threshold % for 2 periods" \
      --namespace AWS/ECS --metric-name "$metric" --statistic Average --period 300 --evaluation-periods 2 \
      --threshold "$threshold" --comparison-operator GreaterThanThreshold \
      --dimensions "Name=ClusterName,Value=$ClusterName" "Name=ServiceName,Value=$Service"
  done
}

# ---------------------------------------------------------------------------------------------------- deploy

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

services=()
declare -A revision
for Service in $(jq -r '.services | keys[]' "$DEPLOY/topology.json"); do
  export Service
  services+=("$Service")
  export ServicePort; ServicePort=$(jq -er --arg s "$Service" '.services[$s].port' "$DEPLOY/topology.json")
  say "$Service: image tag $ImageTag, port $ServicePort"
  export TaskDefinitionArn; TaskDefinitionArn=$(register_task_definition "$Service")
  revision[$Service]="$TaskDefinitionArn"
  echo "    task definition $TaskDefinitionArn"
  export TargetGroupArn; TargetGroupArn=$(ensure_target_group)
  export AlbResourceLabel="${LoadBalancerArn#*:loadbalancer/}/${TargetGroupArn##*:}"
  ensure_listener_rule
  create_or_update_service
  ensure_autoscaling
  ensure_alarms
done

say "Waiting until ${services[*]} are stable (new tasks healthy, old ones drained)"
aws ecs wait services-stable --cluster "$ClusterName" --services "${services[@]}" \
  || fail "the services did not become stable; a failed deployment is rolled back by its circuit breaker (aws ecs describe-services)"

# A deployment the circuit breaker rolled back is stable too, on the old revision: that is a failed deploy.
for Service in "${services[@]}"; do
  running=$(aws ecs describe-services --cluster "$ClusterName" --services "$Service" --query 'services[0].taskDefinition' --output text)
  [ "$running" = "${revision[$Service]}" ] || fail "$Service runs $running, not ${revision[$Service]}: the deployment was rolled back"
done
say "Deployed $ImageTag: ${services[*]}"
