#!/usr/bin/env python3
"""The ECS task definitions, written from deploy/topology.json by ./dev generate: deploy/ecs-task-defs/<service>.json, the
service's own task (deploy/cloudformation/services/<service>.json declares it), and <service>-migrate.json, the one-off task that
applies a service's migrations (deploy.sh registers and runs it before the service rolls).

What every task has (the collector, the hardening, the logs) is here; what a service adds (its
port, database, Redis, the services it calls, its own variables and secrets) is its entry in the topology. The ${...}
placeholders are the platform stack's outputs (deploy.sh fills them in a migrate task; a service's template takes them
as its parameters).

    task_definitions.py <topology.json> <directory>            write the files
    task_definitions.py <topology.json> <directory> --check    exit 1, naming the file, if one differs
"""
import json
import sys
from pathlib import Path

COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.42.0"
TAGS = {"Team": "platform", "CostCenter": "engineering", "ManagedBy": "cloudformation", "Owner": "platform@mycomputer.com"}
HARDENED = {"readonlyRootFilesystem": True, "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}]}


def pascal(name):
    return "".join(word[0].upper() + word[1:] for word in name.split("-"))


def service_url(topology, name):
    return f"http://{name}:{topology['services'][name]['port']}/"  # Service Connect's name for it


def token_keys_url(topology):
    """The token issuer's JWKS document, where every other service reads the keys that check a bearer token."""
    issuer = topology["tokenIssuer"]
    return service_url(topology, issuer) + topology["services"][issuer]["pathPattern"].strip("/*") + "/.well-known/jwks.json"


def called_service_urls(topology, name):
    """<SERVICE>_URL for each service this one calls."""
    return {f"{called.upper()}_URL": service_url(topology, called) for called in topology["services"][name]["calls"]}


def configuration(topology, name):
    """The variables and secrets both containers read, as the service validates them at start-up."""
    service = topology["services"][name]
    environment = {"AWS_REGION": "${Region}", "LOG_LEVEL": "info", "TRUSTED_PROXY_NETWORKS": "${VpcCidr}"}
    if service["database"]:
        environment |= {
            "DB_HOST": "${DatabaseHost}", "DB_PORT": "5432", "DB_NAME": name, "DB_USER": name,
            "DB_PASSWORD_ARN": f"${{{pascal(name)}DatabasePasswordSecretArn}}",
            "DB_SSL_MODE": "VerifyFull", "DB_ROOT_CERTIFICATE": "/etc/ssl/rds/global-bundle.pem",
        }
    environment |= {"OTEL_SERVICE_NAME": name, "OTEL_TRACES_SAMPLER_ARG": "0.1", "OTEL_LOGS_EXPORTER": "none"}
    if name != topology["tokenIssuer"]:
        # inside the VPC, through Service Connect
        environment |= {"JWT_JWKS_URL": token_keys_url(topology), "JWT_JWKS_ALLOW_HTTP": "true"}
    environment |= called_service_urls(topology, name)
    environment |= service["taskEnvironment"]
    secrets = {"REDIS_URL": f"${{{pascal(name)}RedisUrlSecretArn}}"} if service["redis"] else {}
    return environment, secrets | service["taskSecrets"]


def pairs(values, value_key, name_key="name"):
    return [{name_key: key, value_key: value} for key, value in values.items()]


def logs(service, prefix):
    group = f"${{{pascal(service['application'])}LogGroup}}"  # the stack's output, named after the application
    return {"logDriver": "awslogs", "options": {
        "awslogs-group": group, "awslogs-region": "${Region}", "awslogs-stream-prefix": prefix,
        "mode": "non-blocking", "max-buffer-size": "25m"}}


def task_definition(topology, name):
    """The service's own task: the service and its collector. Its migrations are a one-off task of their own."""
    service = topology["services"][name]
    environment, secrets = configuration(topology, name)
    if service["database"]:
        environment |= {"DB_MIGRATE_ON_STARTUP": "false"}
    serving = {"PORT": str(service["port"])} | environment | {
        "DRAIN_DELAY_SECONDS": "10", "SHUTDOWN_TIMEOUT_SECONDS": "15", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4317"}
    containers = [{
        "name": name, "image": image(service), "essential": True,
        "portMappings": [{"name": "http", "containerPort": service["port"], "protocol": "tcp", "appProtocol": "http"}],
        "environment": pairs(serving, "value"),
        **({"secrets": pairs(secrets, "valueFrom")} if secrets else {}),
        "healthCheck": {"command": ["CMD", "/app/service", "healthcheck"], "interval": 10, "timeout": 5, "retries": 3, "startPeriod": 20},
        "stopTimeout": 30,
        **HARDENED, "logConfiguration": logs(service, name),
        "dependsOn": [{"containerName": "aws-otel-collector", "condition": "START"}]}, {
        "name": "aws-otel-collector", "image": COLLECTOR_IMAGE, "essential": False, "cpu": 64, "memory": 128,
        "healthCheck": {"command": ["/healthcheck"], "interval": 10, "timeout": 5, "retries": 3, "startPeriod": 10},
        "readonlyRootFilesystem": True, "logConfiguration": logs(service, "otel")}]
    return task(topology, name, name, containers)


def migrate_task_definition(topology, name):
    """
    The one-off task deploy.sh runs, and waits for, before the services roll: the service's image applies its migrations
    as the database's owner, which also gives the service's own role its privileges, and exits. Only this task is given
    the owner's password.
    """
    service = topology["services"][name]
    environment, secrets = configuration(topology, name)
    containers = [{
        "name": "migrate", "image": image(service), "essential": True, "command": ["migrate"],
        "environment": pairs(environment | {"DB_MIGRATION_USER": "${DatabaseMasterUser}"}, "value"),
        "secrets": pairs(secrets | {"DB_MIGRATION_PASSWORD": "${DatabaseMasterPasswordSecretArn}"}, "valueFrom"),
        **HARDENED, "logConfiguration": logs(service, "migrate")}]
    return task(topology, name, f"{name}-migrate", containers)


def image(service):
    return f"${{AccountId}}.dkr.ecr.${{Region}}.amazonaws.com/{service['imageRepository']}:${{ImageTag}}"


def task(topology, name, family, containers):
    service = topology["services"][name]
    return {
        "family": f"mycomputer-${{EnvironmentName}}-{family}",
        "taskRoleArn": f"arn:${{Partition}}:iam::${{AccountId}}:role/mycomputer-${{EnvironmentName}}-{name}-task",
        "executionRoleArn": "arn:${Partition}:iam::${AccountId}:role/mycomputer-${EnvironmentName}-task-execution",
        "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "containerDefinitions": containers,
        "volumes": [{"name": "tmp"}],
        "tags": pairs({"Environment": "${EnvironmentName}", "Application": service["application"]} | TAGS, "value", name_key="key"),
    }


def render(value, indent=0):
    """JSON with what fits on a line kept on it, so a file reads like a hand-written one."""
    inline = json.dumps(value)
    if not isinstance(value, (dict, list)) or indent + len(inline) <= 120:
        return inline
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {render(item, indent + 2)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return "[\n" + ",\n".join(inner + render(item, indent + 2) for item in value) + "\n" + " " * indent + "]"


def write(directory, files, mode):
    """Writes each file as JSON, or with --check exits 1 naming those that differ."""
    stale = []
    for file, value in files.items():
        path = Path(directory) / file
        text = render(value) + "\n"
        if mode == ("--check",):
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.write_text(text)
    if stale:
        sys.exit(f"stale (run ./dev generate): {', '.join(stale)}")


def main(topology_file, directory, *mode):
    topology = json.loads(Path(topology_file).read_text())
    files = {f"{name}.json": task_definition(topology, name) for name in topology["services"]}
    files |= {f"{name}-migrate.json": migrate_task_definition(topology, name) for name, service in topology["services"].items() if service["database"]}
    write(directory, files, mode)


if __name__ == "__main__":
    main(*sys.argv[1:])
