#!/usr/bin/env python3
"""Each service's CloudFormation template, deploy/cloudformation/services/<service>.json, written from
deploy/topology.json by ./dev generate: one stack per service, <platform stack>-<service>, as AWS Copilot makes them.

A service's stack holds its task definition (deploy/ecs-task-defs/<service>.json, the collector given
deploy/otel-collector.yaml), its target group and listener rule on the platform stack's HTTPS listener, its ECS service
(rolling, 100/200 %, circuit breaker with rollback), its autoscaling (2 to 10 tasks on CPU, memory and requests) and the
seeds' alarms on it (unhealthy targets, CPU above 80 %, memory above 85 %). deploy/deploy.sh creates or updates each
stack with a new image tag, so a deploy is a stack update per service, rolled back by CloudFormation when it fails. Its
parameters are the platform stack's outputs the resources use (deploy.sh passes them) and ImageTag.

    services_template.py <topology.json> <directory>            write one template per service
    services_template.py <topology.json> <directory> --check    exit 1, naming the file, if one differs
"""
import json
import re
import sys
from pathlib import Path

from task_definitions import TAGS, pascal, task_definition, write

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\$\{([A-Za-z]+)\}")
PSEUDO = {"AccountId": "AWS::AccountId", "Region": "AWS::Region", "Partition": "AWS::Partition"}

# Target tracking, as the seeds ask: the service stays between these counts, never one task in one zone.
MIN_TASKS, MAX_TASKS = 2, 10
SCALING = [("Cpu", "ECSServiceAverageCPUUtilization", 70), ("Memory", "ECSServiceAverageMemoryUtilization", 80),
           ("Requests", "ALBRequestCountPerTarget", 1000)]
# The health check the ALB makes (haproxy makes the same one locally, tools/dev/load-balancer.sh).
HEALTH_CHECK = {"HealthCheckProtocol": "HTTP", "HealthCheckPath": "/health", "HealthCheckIntervalSeconds": 5,
                "HealthCheckTimeoutSeconds": 3, "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 2}
TARGET_GROUP_ATTRIBUTES = {"deregistration_delay.timeout_seconds": "20",
                           "load_balancing.algorithm.type": "least_outstanding_requests", "slow_start.duration_seconds": "0"}


def sub(value):
    """A string with ${Placeholders} as Fn::Sub (the account and region as CloudFormation's own), others as they are."""
    if isinstance(value, str) and PLACEHOLDER.search(value):
        return {"Fn::Sub": PLACEHOLDER.sub(lambda m: "${" + PSEUDO.get(m.group(1), m.group(1)) + "}", value)}
    return value


def cloudformation(value, free_keys=False):
    """The ECS API's shape (camelCase) as CloudFormation's properties (PascalCase); a log driver's options keep their keys."""
    if isinstance(value, dict):
        return {(key if free_keys else key[0].upper() + key[1:]): cloudformation(item, key == "options") for key, item in value.items()}
    if isinstance(value, list):
        return [cloudformation(item) for item in value]
    return sub(value)


def tags(service):
    return [{"Key": key, "Value": sub(value)} for key, value in ({"Environment": "${EnvironmentName}", "Application": service["application"]} | TAGS).items()]


def task_definition_resource(topology, name):
    definition = task_definition(topology, name)
    collector = next(c for c in definition["containerDefinitions"] if c["name"] == "aws-otel-collector")
    collector["environment"] = [{"name": "AOT_CONFIG_CONTENT", "value": (ROOT / "deploy/otel-collector.yaml").read_text()}]
    return {"Type": "AWS::ECS::TaskDefinition", "Properties": cloudformation(definition)}


def resources(topology, name):
    service = topology["services"][name]
    prefix = pascal(name)
    target_group = {"Ref": f"{prefix}TargetGroup"}
    target_group_name = {"Fn::Select": [5, {"Fn::Split": [":", target_group]}]}  # targetgroup/<name>/<id>
    load_balancer_name = {"Fn::Select": [1, {"Fn::Split": [":loadbalancer/", {"Ref": "LoadBalancerArn"}]}]}  # app/<name>/<id>
    scaling_target = {"Fn::Sub": f"service/${{ClusterName}}/${{{prefix}Service.Name}}"}
    made = {
        f"{prefix}TaskDefinition": task_definition_resource(topology, name),
        f"{prefix}TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
            "Name": {"Fn::Sub": f"${{EnvironmentName}}-{name}"}, "Protocol": "HTTP", "ProtocolVersion": "HTTP1",
            "Port": service["port"], "VpcId": {"Ref": "VpcId"}, "TargetType": "ip", "HealthCheckEnabled": True, **HEALTH_CHECK,
            "Matcher": {"HttpCode": "200"},
            "TargetGroupAttributes": [{"Key": key, "Value": value} for key, value in TARGET_GROUP_ATTRIBUTES.items()],
            "Tags": tags(service)}},
        f"{prefix}ListenerRule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
            "ListenerArn": {"Ref": "HttpsListenerArn"}, "Priority": service["listenerPriority"],
            "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": [service["pathPattern"]]}}],
            "Actions": [{"Type": "forward", "TargetGroupArn": target_group}]}},
        f"{prefix}Service": {"Type": "AWS::ECS::Service", "DependsOn": f"{prefix}ListenerRule", "Properties": {
            "ServiceName": name, "Cluster": {"Ref": "ClusterName"}, "TaskDefinition": {"Ref": f"{prefix}TaskDefinition"},
            # No DesiredCount: autoscaling owns it (at least MIN_TASKS), and a stack update must not reset it.
            "LaunchType": "FARGATE", "PlatformVersion": "LATEST",
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                "Subnets": {"Fn::Split": [",", {"Ref": "PrivateSubnets"}]}, "SecurityGroups": [{"Ref": "TasksSecurityGroup"}],
                "AssignPublicIp": "DISABLED"}},
            "LoadBalancers": [{"TargetGroupArn": target_group, "ContainerName": name, "ContainerPort": service["port"]}],
            "HealthCheckGracePeriodSeconds": 60,
            "DeploymentConfiguration": {"DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
                                        "MaximumPercent": 200, "MinimumHealthyPercent": 100},
            "ServiceConnectConfiguration": {"Enabled": True, "Namespace": {"Ref": "ServiceConnectNamespace"}, "Services": [
                {"PortName": "http", "DiscoveryName": name, "ClientAliases": [{"Port": service["port"], "DnsName": name}]}]},
            "PropagateTags": "SERVICE", "EnableECSManagedTags": True, "Tags": tags(service)}},
        f"{prefix}ScalableTarget": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
            "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount", "ResourceId": scaling_target,
            "MinCapacity": MIN_TASKS, "MaxCapacity": MAX_TASKS}},
    }
    for policy, metric, target in SCALING:
        specification = {"PredefinedMetricType": metric}
        if metric == "ALBRequestCountPerTarget":
            specification["ResourceLabel"] = {"Fn::Join": ["/", [load_balancer_name, target_group_name]]}
        made[f"{prefix}{policy}Scaling"] = {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {
            "PolicyName": f"{policy.lower()}-{target}", "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": f"{prefix}ScalableTarget"},
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": target, "PredefinedMetricSpecification": specification,
                                                         "ScaleOutCooldown": 60, "ScaleInCooldown": 300}}}
    notify = {"AlarmActions": [{"Ref": "AlarmTopicArn"}], "OKActions": [{"Ref": "AlarmTopicArn"}]}
    made[f"{prefix}UnhealthyTargetsAlarm"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmName": {"Fn::Sub": f"mycomputer-${{EnvironmentName}}-{name}-unhealthy-targets"}, **notify,
        "AlarmDescription": f"{name} has unhealthy targets behind the ALB",
        "Namespace": "AWS/ApplicationELB", "MetricName": "UnHealthyHostCount", "Statistic": "Maximum", "Period": 60,
        "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold",
        "Dimensions": [{"Name": "TargetGroup", "Value": target_group_name}, {"Name": "LoadBalancer", "Value": load_balancer_name}],
        "TreatMissingData": "notBreaching"}}
    for metric, threshold in (("CPUUtilization", 80), ("MemoryUtilization", 85)):
        short = metric.removesuffix("Utilization")
        made[f"{prefix}{short.capitalize()}Alarm"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
            "AlarmName": {"Fn::Sub": f"mycomputer-${{EnvironmentName}}-{name}-{short}"}, **notify,
            "AlarmDescription": f"{name}'s average {metric} above {threshold} % for 2 periods",
            "Namespace": "AWS/ECS", "MetricName": metric, "Statistic": "Average", "Period": 300, "EvaluationPeriods": 2,
            "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "ClusterName", "Value": {"Ref": "ClusterName"}}, {"Name": "ServiceName", "Value": name}]}}
    return made


def parameters(made):
    """Every name the resources refer to that is not one of them: the platform stack's outputs, and ImageTag."""
    text = json.dumps(made)
    used = {m for m in re.findall(r'"Ref": "([A-Za-z]+)"', text)} | {m for m in re.findall(r"\$\{([A-Za-z]+)\}", text)}
    names = sorted(used - set(made) - {"ImageTag"})
    declared = {"ImageTag": {"Type": "String", "AllowedPattern": "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
                             "Description": "The image tag every service runs (deploy/deploy.sh's argument)."}}
    return declared | {name: {"Type": "String", "Description": "The platform stack's output of this name."} for name in names}


def template(topology, name):
    made = resources(topology, name)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"MyComputer {name} (generated from deploy/topology.json by ./dev generate; deployed by deploy/deploy.sh).",
        "Parameters": parameters(made),
        "Resources": made,
    }


def main(topology_file, directory, *mode):
    topology = json.loads(Path(topology_file).read_text())
    write(directory, {f"{name}.json": template(topology, name) for name in topology["services"]}, mode)


if __name__ == "__main__":
    main(*sys.argv[1:])
