"""moto's server (the same arguments as moto_server: python3 emulator.py -H 127.0.0.1 -p 5123), able to create the stacks
of deploy/cloudformation/.

moto's CloudFormation skips the resource types it has no model for (with a warning only), and fails the whole create
when an output reads an attribute of one. This registers a model for each type the templates use that moto lacks, and
only for those: importing this file fails if moto has its own model for one of them, so an upgrade of moto that adds
it is noticed rather than shadowed. Where moto has the service, the model makes the real thing through moto's backend
(so it can be read back with the AWS CLI); where it has not (ElastiCache user groups), the model records the properties
and answers Ref and GetAtt. Each model also updates what it made (keeping its identity unless its name changes) and
deletes it, so a stack can be updated and deleted.

Patches to moto itself, each where moto reads a valid template differently from CloudFormation:
- GetAtt of a dotted attribute (!GetAtt Database.Endpoint.Address, ${Cache.PrimaryEndPoint.Port} in a Sub): moto splits
  the name at every dot, CloudFormation at the first only.
- !Condition X (a condition in another's Fn::And, ...) becomes Fn::Condition, which moto's conditions do not know
  (so it counts as false): it is {Condition: X}.
- !GetAZs "" lists the zones of us-east-1, whatever the stack's region: it lists the stack's region's.
- A bucket policy's statement with a Condition: moto does not evaluate conditions, so it would apply the statement
  unconditionally (the template's Deny of requests without TLS would refuse every request); it leaves it out instead.
- Ref of an RDS DB parameter group: moto gives its model object (which its DB instance cannot take), CloudFormation
  its name.
- GetAtt LoadBalancer.LoadBalancerFullName and any GetAtt of a target group (TargetGroupFullName, ...), which moto does
  not implement.
- An update's UsePreviousValue of a parameter that took its default (aws cloudformation deploy sends it for every
  parameter it is not given): moto fails looking for the value the create was given; the default stays instead.
- An update changes only the resources whose own text changed, or which Ref a changed parameter: a parameter named in an
  Fn::Sub (the image tag), and a resource naming a task definition the update revises (its service), count too.
- A resource of a type moto cannot update (a database, a load balancer) is dropped by an update that reaches it, and
  every reference to it fails after; it stays as it was instead.
- An updated task definition keeps the template's PascalCase keys; a created one has the ECS API's.
- A stack made or updated by a change set keeps the outputs it had before (none, for a new one).
- For the tests: a task whose image is tagged exit-<code> exits with that code.
- A template in the emulator's S3 (CreateChangeSet with a TemplateURL) is found only at a host named localhost.
- RunTask of a Fargate task whose containers give no memory of their own (the task's is enough) fails, and so does one
  in awsvpc mode (moto's network interfaces have no private DNS name).
"""
import json
import re
import sys
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.cloudformation import models as cloudformation_models
from moto.cloudformation import responses as cloudformation_responses
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudwatch.models import Dimension, Metric, MetricDataQuery, MetricStat, cloudwatch_backends
from moto.core.base_backend import InstanceTrackerMeta
from moto.core.common_models import CloudFormationModel
from moto.core.utils import pascal_to_camelcase, remap_nested_keys
from moto.elasticache.exceptions import InvalidParameterValueException, UserNotFound
from moto.elasticache.models import elasticache_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ecs.models import Container, EC2ContainerServiceBackend, TaskDefinition, ecs_backends
from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.iam.models import iam_backends
from moto.rds.models import DBParameterGroup
from moto.s3.models import FakeBucket, s3_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.server import main
from moto.servicediscovery.models import servicediscovery_backends
from moto.utilities.utils import get_partition
from moto.wafv2.models import wafv2_backends

# Every type moto models, before the shims join them (the imports above load the models of the services shimmed).
MOTO_TYPES = {model.cloudformation_type() for model in CloudFormationModel.__subclasses__()}


# ---------------------------------------------------------------------------------------------------- patches
def get_att(reference: list[str]) -> list[str]:
    return [reference[0], ".".join(reference[1:])]


original_clean_json = parsing.clean_json


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    """Fn::GetAtt [Cache, PrimaryEndPoint, Address] (as moto writes ${Cache.PrimaryEndPoint.Address}) is GetAtt
    [Cache, PrimaryEndPoint.Address]; Fn::GetAZs "" is the stack's region's zones."""
    if isinstance(resource_json, dict):
        if isinstance(resource_json.get("Fn::GetAtt"), list) and len(resource_json["Fn::GetAtt"]) > 2:
            resource_json = {**resource_json, "Fn::GetAtt": get_att(resource_json["Fn::GetAtt"])}
        if resource_json.get("Fn::GetAZs") == "" or resource_json.get("Fn::GetAZs") == {"Ref": "AWS::Region"}:
            resource_json = {**resource_json, "Fn::GetAZs": resources_map["AWS::Region"]}
    return original_clean_json(resource_json, resources_map)


parsing.clean_json = clean_json
original_tag_constructor = cloudformation_models.yaml_tag_constructor


def yaml_tag_constructor(loader: Any, tag: str, node: Any) -> Any:
    """!GetAtt Database.Endpoint.Address is GetAtt [Database, Endpoint.Address]; !Condition X is {Condition: X}."""
    if tag == "!Condition":
        return {"Condition": node.value}
    value = original_tag_constructor(loader, tag, node)
    return {"Fn::GetAtt": get_att(value["Fn::GetAtt"])} if tag == "!GetAtt" and isinstance(node.value, str) else value


cloudformation_models.yaml_tag_constructor = yaml_tag_constructor


def permission_without_conditions(bucket: FakeBucket, action: str, resource: str) -> Any:
    """A bucket policy's statements without a Condition decide (moto cannot evaluate a condition)."""
    if bucket.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(bucket.policy)
    statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
    policy["Statement"] = [statement for statement in statements if "Condition" not in statement]
    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)


setattr(FakeBucket, "get_permission", permission_without_conditions)
setattr(DBParameterGroup, "physical_resource_id", property(lambda group: group.name))  # Ref is the group's name
original_load_balancer_attribute = FakeLoadBalancer.get_cfn_attribute


def load_balancer_attribute(load_balancer: FakeLoadBalancer, attribute_name: str) -> Any:
    """LoadBalancerFullName (app/<name>/<id>, the end of the ARN), which moto does not implement."""
    if attribute_name == "LoadBalancerFullName":
        return load_balancer.arn.split(":loadbalancer/", 1)[1]
    return original_load_balancer_attribute(load_balancer, attribute_name)


def target_group_attribute(group: FakeTargetGroup, attribute_name: str) -> Any:
    """A target group's attributes, which moto does not implement: TargetGroupFullName is targetgroup/<name>/<id>."""
    values = {"TargetGroupFullName": group.arn.split(":", 5)[5], "TargetGroupName": group.name, "TargetGroupArn": group.arn,
              "LoadBalancerArns": group.load_balancer_arns}
    if attribute_name not in values:
        raise UnformattedGetAttTemplateException()
    return values[attribute_name]


setattr(FakeLoadBalancer, "get_cfn_attribute", load_balancer_attribute)
setattr(FakeTargetGroup, "get_cfn_attribute", target_group_attribute)
original_update_parameters = CloudFormationBackend._resolve_update_parameters


def update_parameters(backend: CloudFormationBackend, instance: Any, incoming_params: list[dict[str, Any]]) -> dict[str, str]:
    """UsePreviousValue of a parameter that took its default is left out, so that it keeps its default."""
    given = [p for p in incoming_params if not p.get("UsePreviousValue") or p["ParameterKey"] in instance.parameters]
    return original_update_parameters(backend, instance, given)


setattr(CloudFormationBackend, "_resolve_update_parameters", update_parameters)


def references(value: Any) -> set[str]:
    """The parameters and resources a resource's properties name: by Ref, by GetAtt, and inside Fn::Sub."""
    if isinstance(value, list):
        return set().union(*(references(item) for item in value))
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, item in value.items():
        if key == "Ref":
            found.add(item)
        elif key == "Fn::GetAtt":
            found.add(item[0] if isinstance(item, list) else item.split(".")[0])
        elif key == "Fn::Sub":
            found |= {name.split(".")[0] for name in re.findall(r"\$\{([A-Za-z0-9:.]+)\}", item if isinstance(item, str) else item[0])}
        found |= references(item)
    return found


original_resource_diff = parsing.ResourceMap.build_resource_diff


def resource_diff(resource_map: Any, other_template: dict[str, Any], parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """An update also changes a resource that names a changed parameter inside an Fn::Sub (moto looks for parameters in
    Ref alone), and one that names a task definition the update changes, which is a new revision with a new ARN (moto
    compares each resource's own text): a new image tag gives a new revision, and its service is moved to it."""
    actions = original_resource_diff(resource_map, other_template, parameters)
    resources = {name: resource for name, resource in other_template["Resources"].items() if name in resource_map._resource_json_map}
    changed_parameters = {p for p in parameters or {} if resource_map.input_parameters.get(p) != parameters[p]}
    actions["Modify"] += [name for name, resource in resources.items()
                          if name not in actions["Modify"] and changed_parameters & references(resource)]
    revised = {name for name in actions["Modify"] if resources[name]["Type"] == "AWS::ECS::TaskDefinition"}
    actions["Modify"] += [name for name, resource in resources.items() if name not in actions["Modify"] and revised & references(resource)]
    return actions


setattr(parsing.ResourceMap, "build_resource_diff", resource_diff)
original_parse_and_update_resource = parsing.parse_and_update_resource


def parse_and_update_resource(logical_id: str, resource_json: dict[str, Any], resources_map: Any, account_id: str, region_name: str) -> Any:
    """A resource of a type moto cannot update (a database, a load balancer) stays as it was, rather than being lost."""
    updated = original_parse_and_update_resource(logical_id, resource_json, resources_map, account_id, region_name)
    return updated if updated is not None else resources_map._parsed_resources.get(logical_id)


setattr(parsing, "parse_and_update_resource", parse_and_update_resource)
original_task_definition_update = TaskDefinition.update_from_cloudformation_json.__func__


def task_definition_update(cls: Any, original_resource: Any, new_resource_name: str, cloudformation_json: dict[str, Any],
                           account_id: str, region_name: str) -> Any:
    """An updated task definition's containers keep the ECS API's key names, as a created one's do (moto passes the
    template's PascalCase through)."""
    properties = {**cloudformation_json["Properties"]}
    for key in ("ContainerDefinitions", "Volumes"):
        properties[key] = remap_nested_keys(properties.get(key, []), pascal_to_camelcase)
    return original_task_definition_update(cls, original_resource, new_resource_name, {**cloudformation_json, "Properties": properties},
                                           account_id, region_name)


setattr(TaskDefinition, "update_from_cloudformation_json", classmethod(task_definition_update))
original_task_requirements = EC2ContainerServiceBackend._calculate_task_resource_requirements


def task_requirements(task_definition: Any) -> dict[str, Any]:
    """A Fargate task's memory is the task's, not each container's: a container that gives none counts none."""
    containers = [c if {"memory", "memoryReservation", "Memory", "MemoryReservation"} & set(c) else {**c, "memory": 0}
                  for c in task_definition.container_definitions]
    return original_task_requirements(SimpleNamespace(container_definitions=containers))


setattr(EC2ContainerServiceBackend, "_calculate_task_resource_requirements", staticmethod(task_requirements))
original_execute_change_set = CloudFormationBackend.execute_change_set


def execute_change_set(backend: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    """A stack made or changed by a change set (aws cloudformation deploy) has the outputs of its new template."""
    original_execute_change_set(backend, change_set_name, stack_name)
    change_set = backend.change_sets.get(change_set_name) or next(
        c for c in backend.change_sets.values() if c.change_set_name == change_set_name)
    stack = backend.stacks[change_set.stack_id]
    stack._parse_template()
    stack.output_map = stack._create_output_map()


setattr(CloudFormationBackend, "execute_change_set", execute_change_set)
original_stack_from_s3_url = cloudformation_responses.get_stack_from_s3_url


def stack_from_s3_url(template_url: str, account_id: str, partition: str) -> str:
    """A template uploaded to this emulator's S3 (aws cloudformation deploy --s3-bucket): a path-style URL of its address,
    which moto reads as path-style only when the host is named localhost."""
    url = urlparse(template_url)
    local = url._replace(netloc=f"localhost:{url.port}").geturl() if url.hostname == "127.0.0.1" else template_url
    return original_stack_from_s3_url(local, account_id, partition)


setattr(cloudformation_responses, "get_stack_from_s3_url", stack_from_s3_url)
original_container_init = Container.__init__


def container_init(container: Container, task_definition: TaskDefinition) -> None:
    """A task whose image is tagged exit-<code> stops with that exit code (a failing migration, for the tests); any other
    with 0, as moto has it."""
    original_container_init(container, task_definition)
    if tag := re.search(r":exit-([0-9]+)$", container.image or ""):
        container.exitCode = int(tag[1])


setattr(Container, "__init__", container_init)
# moto's RunTask of an awsvpc task reads its network interface's private DNS name, which moto's interfaces lack.
if not hasattr(NetworkInterface, "private_dns_name"):
    setattr(NetworkInterface, "private_dns_name", property(lambda eni: f"ip-{eni.private_ip_address.replace('.', '-')}.ec2.internal"))


# ---------------------------------------------------------------------------------------------------- shims
def resolve(value: Any, account_id: str, region: str) -> Any:
    """CloudFormation's {{resolve:secretsmanager:<name or ARN>[:SecretString:<json key>]}}, which moto leaves as written."""
    def secret(match: re.Match[str]) -> str:
        text = secretsmanager_backends[account_id][region].get_secret_value(match[1], None, None)["SecretString"]
        return str(json.loads(text)[match[2]]) if match[2] else text

    arn = r"arn:[^:]+:secretsmanager:[^:]+:[0-9]+:secret:"
    pattern = rf"\{{\{{resolve:secretsmanager:((?:{arn})?[^:}}]+)(?::SecretString:([^:}}]*))?[^}}]*\}}\}}"
    return re.sub(pattern, secret, value) if isinstance(value, str) else value


class ShimMeta(InstanceTrackerMeta):
    """moto files each model class under its service, which it reads from the class's module (moto.<service>...)."""

    def __new__(cls, name: str, bases: Any, dct: dict[str, Any]) -> type:
        return super().__new__(cls, name, bases, {**dct, "__module__": "moto.cloudformation_shims"})


class Shim(metaclass=ShimMeta):
    """What the shims share: the properties CloudFormation gave, Ref (physical_resource_id), GetAtt, update and delete.
    A shim sets `type` and `attributes` (the GetAtt names it answers), and implements create (sets physical_resource_id
    and the attributes' values) and remove; update is remove then create unless it knows better."""

    type = ""
    name_property = ""  # the property that names the resource; without it CloudFormation generates the name
    attributes: tuple[str, ...] = ()

    def __init__(self, name: str, properties: dict[str, Any], account_id: str, region: str):
        self.name, self.properties, self.account_id, self.region = name, properties, account_id, region
        self.physical_resource_id = name
        self.values: dict[str, Any] = {}
        self.create()

    def create(self) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError

    def update(self, name: str) -> None:
        self.remove()
        self.name = name
        self.create()

    def get(self, name: str, default: Any = None) -> Any:
        return self.properties.get(name, default)

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.type

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.name_property

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.attributes

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.values[attribute_name]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
                                        region_name: str, **kwargs: Any) -> "Shim":
        return cls(resource_name, cloudformation_json.get("Properties", {}), account_id, region_name)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource: "Shim", new_resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str) -> "Shim":
        original_resource.properties = cloudformation_json.get("Properties", {})
        # A name CloudFormation generated stays; a name the template gives may change.
        named = cls.name_property and cls.name_property in original_resource.properties
        original_resource.update(new_resource_name if named else original_resource.name)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
                                        region_name: str) -> None:
        pass  # the stack deletes a shim through its delete()

    def delete(self, account_id: str, region_name: str) -> None:
        self.remove()

    def is_created(self) -> bool:
        return True


class Secret(Shim, CloudFormationModel):
    """AWS::SecretsManager::Secret: a secret in moto's Secrets Manager, with its SecretString or a generated one."""

    type, name_property, attributes = "AWS::SecretsManager::Secret", "Name", ("Id",)

    def secret_string(self) -> str:
        if "SecretString" in self.properties:
            return resolve(self.get("SecretString"), self.account_id, self.region)
        generate = self.get("GenerateSecretString", {})
        password = secretsmanager_backends[self.account_id][self.region].get_random_password(
            password_length=int(generate.get("PasswordLength", 32)), exclude_characters=generate.get("ExcludeCharacters", ""),
            exclude_numbers=generate.get("ExcludeNumbers", False), exclude_punctuation=generate.get("ExcludePunctuation", False),
            exclude_uppercase=generate.get("ExcludeUppercase", False), exclude_lowercase=generate.get("ExcludeLowercase", False),
            include_space=generate.get("IncludeSpace", False), require_each_included_type=generate.get("RequireEachIncludedType", True))
        password = json.loads(password)["RandomPassword"]
        if "GenerateStringKey" in generate:
            return json.dumps({**json.loads(generate.get("SecretStringTemplate", "{}")), generate["GenerateStringKey"]: password})
        return password

    def create(self) -> None:
        self.physical_resource_id = json.loads(secretsmanager_backends[self.account_id][self.region].create_secret(
            name=self.name, secret_string=self.secret_string(), secret_binary=None, description=self.get("Description"),
            tags=self.get("Tags"), kms_key_id=self.get("KmsKeyId"), client_request_token=None, replica_regions=[],
            force_overwrite=False))["ARN"]
        self.values = {"Id": self.physical_resource_id}

    def update(self, name: str) -> None:
        if name != self.name:
            super().update(name)  # a new name is a new secret
            return
        # A generated value stays: CloudFormation generates again only when GenerateSecretString itself changes.
        if "SecretString" in self.properties:
            secretsmanager_backends[self.account_id][self.region].put_secret_value(
                self.physical_resource_id, self.secret_string(), None, None, ["AWSCURRENT"])

    def remove(self) -> None:
        secretsmanager_backends[self.account_id][self.region].delete_secret(self.physical_resource_id, None, True)


class Alarm(Shim, CloudFormationModel):
    """AWS::CloudWatch::Alarm: an alarm in moto's CloudWatch, with its metric (or metric math), actions and dimensions."""

    type, name_property, attributes = "AWS::CloudWatch::Alarm", "AlarmName", ("Arn",)

    @staticmethod
    def query(metric: dict[str, Any]) -> MetricDataQuery:
        stat = metric.get("MetricStat")
        return MetricDataQuery(
            query_id=metric["Id"], label=metric.get("Label"), period=metric.get("Period"), return_data=metric.get("ReturnData"),
            expression=metric.get("Expression"), metric_stat=stat and MetricStat(
                metric=Metric(stat["Metric"]["MetricName"], stat["Metric"].get("Namespace"),
                              [Dimension(d["Name"], d["Value"]) for d in stat["Metric"].get("Dimensions", [])]),
                period=stat["Period"], stat=stat["Stat"], unit=stat.get("Unit")))

    def create(self) -> None:
        p = self.properties
        alarm = cloudwatch_backends[self.account_id][self.region].put_metric_alarm(
            name=self.name, namespace=p.get("Namespace"), metric_name=p.get("MetricName"),
            metric_data_queries=[self.query(metric) for metric in p["Metrics"]] if "Metrics" in p else None,
            comparison_operator=p["ComparisonOperator"], evaluation_periods=int(p["EvaluationPeriods"]),
            datapoints_to_alarm=p.get("DatapointsToAlarm"), period=p.get("Period"), threshold=p.get("Threshold"),
            statistic=p.get("Statistic"), extended_statistic=p.get("ExtendedStatistic"), description=p.get("AlarmDescription"),
            dimensions=p.get("Dimensions", []), alarm_actions=p.get("AlarmActions", []), ok_actions=p.get("OKActions", []),
            insufficient_data_actions=p.get("InsufficientDataActions", []), unit=p.get("Unit"),
            actions_enabled=p.get("ActionsEnabled", True), treat_missing_data=p.get("TreatMissingData"),
            evaluate_low_sample_count_percentile=p.get("EvaluateLowSampleCountPercentile"),
            threshold_metric_id=p.get("ThresholdMetricId"), tags=p.get("Tags"))
        self.values = {"Arn": alarm.alarm_arn}

    def remove(self) -> None:
        cloudwatch_backends[self.account_id][self.region].delete_alarms([self.name])


class BucketPolicy(Shim, CloudFormationModel):
    """AWS::S3::BucketPolicy: the bucket's policy in moto's S3."""

    type = "AWS::S3::BucketPolicy"

    def create(self) -> None:
        self.physical_resource_id = self.get("Bucket")
        s3_backends[self.account_id][get_partition(self.region)].put_bucket_policy(
            self.physical_resource_id, json.dumps(self.get("PolicyDocument")).encode())

    def remove(self) -> None:
        s3_backends[self.account_id][get_partition(self.region)].delete_bucket_policy(self.physical_resource_id)


class OidcProvider(Shim, CloudFormationModel):
    """AWS::IAM::OIDCProvider: an OpenID Connect provider in moto's IAM."""

    type, attributes = "AWS::IAM::OIDCProvider", ("Arn",)

    def create(self) -> None:
        self.physical_resource_id = iam_backends[self.account_id][get_partition(self.region)].create_open_id_connect_provider(
            url=self.get("Url"), thumbprint_list=self.get("ThumbprintList", []), client_id_list=self.get("ClientIdList", []),
            tags=self.get("Tags", [])).arn
        self.values = {"Arn": self.physical_resource_id}

    def remove(self) -> None:
        iam_backends[self.account_id][get_partition(self.region)].delete_open_id_connect_provider(self.physical_resource_id)


class HttpNamespace(Shim, CloudFormationModel):
    """AWS::ServiceDiscovery::HttpNamespace: an HTTP namespace in moto's Cloud Map (Ref is its id)."""

    type, attributes = "AWS::ServiceDiscovery::HttpNamespace", ("Arn", "Id")

    def create(self) -> None:
        backend = servicediscovery_backends[self.account_id][self.region]
        operation = backend.create_http_namespace(self.get("Name"), "", self.get("Description"), self.get("Tags", []))
        namespace = backend.get_namespace(backend.get_operation(operation).targets["NAMESPACE"])
        self.physical_resource_id, self.values = namespace.id, {"Arn": namespace.arn, "Id": namespace.id}

    def update(self, name: str) -> None:
        namespace = servicediscovery_backends[self.account_id][self.region].get_namespace(self.physical_resource_id)
        namespace.description = self.get("Description")

    def remove(self) -> None:
        servicediscovery_backends[self.account_id][self.region].delete_namespace(self.physical_resource_id)


class ScalableTarget(Shim, CloudFormationModel):
    """AWS::ApplicationAutoScaling::ScalableTarget: a scalable target in moto's Application Auto Scaling."""

    type, attributes = "AWS::ApplicationAutoScaling::ScalableTarget", ("Id",)

    def create(self) -> None:
        namespace, resource, dimension = self.get("ServiceNamespace"), self.get("ResourceId"), self.get("ScalableDimension")
        applicationautoscaling_backends[self.account_id][self.region].register_scalable_target(
            namespace, resource, dimension, self.get("MinCapacity"), self.get("MaxCapacity"), self.get("RoleARN"),
            self.get("SuspendedState"))
        self.physical_resource_id = f"{resource}|{dimension}|{namespace}"
        self.values = {"Id": self.physical_resource_id}
        if dimension == "ecs:service:DesiredCount":
            # As Application Auto Scaling does at once: an ECS service below the target's minimum is raised to it.
            _, cluster, service = resource.split("/")
            ecs = ecs_backends[self.account_id][self.region]
            if (ecs.describe_services(cluster, [service])[0][0].desired_count or 0) < int(self.get("MinCapacity")):
                ecs.update_service({"cluster": cluster, "service": service, "desired_count": int(self.get("MinCapacity"))})

    def update(self, name: str) -> None:
        self.create()  # registering again changes the target in place

    def remove(self) -> None:
        resource, dimension, namespace = self.physical_resource_id.split("|")
        applicationautoscaling_backends[self.account_id][self.region].deregister_scalable_target(namespace, resource, dimension)


class ScalingPolicy(Shim, CloudFormationModel):
    """AWS::ApplicationAutoScaling::ScalingPolicy: a scaling policy in moto's Application Auto Scaling (Ref is its ARN)."""

    type, attributes = "AWS::ApplicationAutoScaling::ScalingPolicy", ("Arn",)

    def target(self) -> list[str]:
        if "ScalingTargetId" in self.properties:
            resource, dimension, namespace = self.get("ScalingTargetId").split("|")
            return [namespace, resource, dimension]
        return [self.get("ServiceNamespace"), self.get("ResourceId"), self.get("ScalableDimension")]

    def create(self) -> None:
        namespace, resource, dimension = self.target()
        body = self.get("TargetTrackingScalingPolicyConfiguration") or self.get("StepScalingPolicyConfiguration")
        policy = applicationautoscaling_backends[self.account_id][self.region].put_scaling_policy(
            self.get("PolicyName"), namespace, resource, dimension, body, self.get("PolicyType"))
        self.physical_resource_id, self.values = policy.policy_arn, {"Arn": policy.policy_arn}

    def remove(self) -> None:
        namespace, resource, dimension = self.target()
        applicationautoscaling_backends[self.account_id][self.region].delete_scaling_policy(
            self.get("PolicyName"), namespace, resource, dimension)


class WebAcl(Shim, CloudFormationModel):
    """AWS::WAFv2::WebACL: a web ACL in moto's WAFv2, with its rules (Ref is name|id|scope)."""

    type, name_property, attributes = "AWS::WAFv2::WebACL", "Name", ("Arn", "Id", "LabelNamespace", "Capacity")

    def create(self) -> None:
        acl = wafv2_backends[self.account_id][self.region].create_web_acl(
            self.name, self.get("VisibilityConfig"), self.get("DefaultAction"), self.get("Scope"), self.get("Description"),
            self.get("Tags", []), self.get("Rules", []), self.get("AssociationConfig"), self.get("CaptchaConfig"),
            self.get("ChallengeConfig"), self.get("CustomResponseBodies"), self.get("TokenDomains"))
        self.physical_resource_id = f"{acl.name}|{acl.id}|{self.get('Scope')}"
        self.values = {"Arn": acl.arn, "Id": acl.id, "LabelNamespace": acl.label_namespace, "Capacity": acl.capacity}

    def update(self, name: str) -> None:
        if name != self.name:
            super().update(name)  # a new name is a new web ACL
            return
        backend = wafv2_backends[self.account_id][self.region]
        acl = backend.get_web_acl(self.values["Arn"], None, None)
        backend.update_web_acl(
            acl.name, acl.id, self.get("DefaultAction"), self.get("Rules", []), self.get("Description"), self.get("VisibilityConfig"),
            acl.lock_token, self.get("CustomResponseBodies"), self.get("CaptchaConfig"), self.get("ChallengeConfig"),
            self.get("TokenDomains"), self.get("AssociationConfig"))

    def remove(self) -> None:
        backend = wafv2_backends[self.account_id][self.region]
        acl = backend.get_web_acl(self.values["Arn"], None, None)
        backend.delete_web_acl(acl.name, self.get("Scope"), acl.id, acl.lock_token)


class WebAclAssociation(Shim, CloudFormationModel):
    """AWS::WAFv2::WebACLAssociation: the web ACL's association with a resource (the load balancer) in moto's WAFv2."""

    type = "AWS::WAFv2::WebACLAssociation"

    def create(self) -> None:
        wafv2_backends[self.account_id][self.region].associate_web_acl(self.get("WebACLArn"), self.get("ResourceArn"))
        self.physical_resource_id = f"{self.get('ResourceArn')}|{self.get('WebACLArn')}"

    def remove(self) -> None:
        wafv2_backends[self.account_id][self.region].disassociate_web_acl(self.physical_resource_id.split("|")[0])


class LoggingConfiguration(Shim, CloudFormationModel):
    """AWS::WAFv2::LoggingConfiguration: the web ACL's logging configuration in moto's WAFv2 (Ref is the ACL's ARN)."""

    type, attributes = "AWS::WAFv2::LoggingConfiguration", ("ManagedByFirewallManager",)

    def create(self) -> None:
        wafv2_backends[self.account_id][self.region].put_logging_configuration(
            self.get("ResourceArn"), self.get("LogDestinationConfigs"), self.get("RedactedFields"), False, self.get("LoggingFilter"))
        self.physical_resource_id, self.values = self.get("ResourceArn"), {"ManagedByFirewallManager": False}

    def remove(self) -> None:
        wafv2_backends[self.account_id][self.region].delete_logging_configuration(self.physical_resource_id)


class CacheSubnetGroup(Shim, CloudFormationModel):
    """AWS::ElastiCache::SubnetGroup: a cache subnet group in moto's ElastiCache (Ref is its name)."""

    type, name_property = "AWS::ElastiCache::SubnetGroup", "CacheSubnetGroupName"

    def create(self) -> None:
        self.physical_resource_id = self.name.lower()
        elasticache_backends[self.account_id][self.region].create_cache_subnet_group(
            self.physical_resource_id, self.get("Description"), self.get("SubnetIds"), self.get("Tags"))

    def remove(self) -> None:  # moto's ElastiCache cannot delete one
        elasticache_backends[self.account_id][self.region].cache_subnet_groups.pop(self.physical_resource_id, None)


class CacheUser(Shim, CloudFormationModel):
    """AWS::ElastiCache::User: a user in moto's ElastiCache, its passwords' dynamic references resolved (Ref is its id)."""

    type, name_property, attributes = "AWS::ElastiCache::User", "UserId", ("Arn", "Status")

    def create(self) -> None:
        mode = self.get("AuthenticationMode") or {"Type": "no-password-required" if self.get("NoPasswordRequired") else "password",
                                                  "Passwords": self.get("Passwords", [])}
        user = elasticache_backends[self.account_id][self.region].create_user(
            self.name, self.get("UserName"), self.get("Engine"),
            [resolve(password, self.account_id, self.region) for password in mode.get("Passwords", [])],
            self.get("AccessString"), mode["Type"] == "no-password-required", mode["Type"], self.get("Tags"))
        self.physical_resource_id, self.values = user.id, {"Arn": user.arn, "Status": user.status}

    def remove(self) -> None:
        elasticache_backends[self.account_id][self.region].delete_user(self.physical_resource_id)


class CacheUserGroup(Shim, CloudFormationModel):
    """AWS::ElastiCache::UserGroup: a stand-in (moto's ElastiCache has no user groups) that checks its users exist, as
    ElastiCache does, and records its properties (Ref is its id)."""

    type, name_property, attributes = "AWS::ElastiCache::UserGroup", "UserGroupId", ("Arn", "Status")

    def create(self) -> None:
        users = elasticache_backends[self.account_id][self.region].users
        missing = [user for user in self.get("UserIds", []) if user not in users]
        if missing:
            raise UserNotFound(missing[0])
        if "default" not in [users[user].name for user in self.get("UserIds", [])]:
            raise InvalidParameterValueException(f"user group {self.name} must hold a user named default")
        arn = f"arn:{get_partition(self.region)}:elasticache:{self.region}:{self.account_id}:usergroup:{self.name}"
        self.values = {"Arn": arn, "Status": "active"}

    def remove(self) -> None:
        pass


class ReplicationGroup(Shim, CloudFormationModel):
    """AWS::ElastiCache::ReplicationGroup: a replication group in moto's ElastiCache (Ref is its id)."""

    type, name_property = "AWS::ElastiCache::ReplicationGroup", "ReplicationGroupId"
    attributes = ("PrimaryEndPoint.Address", "PrimaryEndPoint.Port", "ReaderEndPoint.Address", "ReaderEndPoint.Port",
                  "ConfigurationEndPoint.Address", "ConfigurationEndPoint.Port", "ReadEndPoint.Addresses")
    parameters = {  # moto's create_replication_group's parameters, each from its property
        "replication_group_description": "ReplicationGroupDescription", "global_replication_group_id": "GlobalReplicationGroupId",
        "primary_cluster_id": "PrimaryClusterId", "automatic_failover_enabled": "AutomaticFailoverEnabled",
        "multi_az_enabled": "MultiAZEnabled", "num_cache_clusters": "NumCacheClusters",
        "preferred_cache_cluster_azs": "PreferredCacheClusterAZs", "num_node_groups": "NumNodeGroups",
        "replicas_per_node_group": "ReplicasPerNodeGroup", "node_group_configuration": "NodeGroupConfiguration",
        "cache_node_type": "CacheNodeType", "engine": "Engine", "engine_version": "EngineVersion",
        "cache_parameter_group_name": "CacheParameterGroupName", "cache_subnet_group_name": "CacheSubnetGroupName",
        "cache_security_group_names": "CacheSecurityGroupNames", "security_group_ids": "SecurityGroupIds", "tags": "Tags",
        "snapshot_arns": "SnapshotArns", "snapshot_name": "SnapshotName", "preferred_maintenance_window": "PreferredMaintenanceWindow",
        "port": "Port", "notification_topic_arn": "NotificationTopicArn", "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
        "snapshot_retention_limit": "SnapshotRetentionLimit", "snapshot_window": "SnapshotWindow", "auth_token": "AuthToken",
        "transit_encryption_enabled": "TransitEncryptionEnabled", "at_rest_encryption_enabled": "AtRestEncryptionEnabled",
        "kms_key_id": "KmsKeyId", "user_group_ids": "UserGroupIds", "log_delivery_configurations": "LogDeliveryConfigurations",
        "data_tiering_enabled": "DataTieringEnabled", "network_type": "NetworkType", "ip_discovery": "IpDiscovery",
        "transit_encryption_mode": "TransitEncryptionMode", "cluster_mode": "ClusterMode",
        "serverless_cache_snapshot_name": "ServerlessCacheSnapshotName"}

    def create(self) -> None:
        self.physical_resource_id = self.name.lower()[:40].rstrip("-")
        group = elasticache_backends[self.account_id][self.region].create_replication_group(
            replication_group_id=self.physical_resource_id, **{name: self.get(p) for name, p in self.parameters.items()})
        primary, port = group.node_groups[0], str(group.port)
        configuration = getattr(group, "configuration_endpoint", {"address": primary.get("primary_endpoint_address")})
        self.values = {
            "PrimaryEndPoint.Address": primary.get("primary_endpoint_address"), "PrimaryEndPoint.Port": port,
            "ReaderEndPoint.Address": primary.get("reader_endpoint_address"), "ReaderEndPoint.Port": port,
            "ConfigurationEndPoint.Address": configuration["address"], "ConfigurationEndPoint.Port": port,
            "ReadEndPoint.Addresses": primary.get("reader_endpoint_address")}

    def update(self, name: str) -> None:
        pass  # the group stays (moto's ElastiCache cannot modify one); its new properties are recorded

    def remove(self) -> None:  # moto's ElastiCache only marks a deleted group as deleting
        elasticache_backends[self.account_id][self.region].replication_groups.pop(self.physical_resource_id, None)


SHIMS = [Secret, Alarm, BucketPolicy, OidcProvider, HttpNamespace, ScalableTarget, ScalingPolicy, WebAcl, WebAclAssociation,
         LoggingConfiguration, CacheSubnetGroup, CacheUser, CacheUserGroup, ReplicationGroup]
shadowed = [shim.type for shim in SHIMS if shim.type in MOTO_TYPES]
if shadowed:
    raise RuntimeError(f"moto now models {', '.join(shadowed)}: remove the shim from {__file__}")
for cache in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
    cache.cache_clear()

if __name__ == "__main__":
    main(sys.argv[1:])
