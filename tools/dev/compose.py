#!/usr/bin/env python3
"""docker-compose.yml, written from deploy/topology.json by ./dev generate.

What every service gets (the hardening, the dependencies, the shared variables, the health check) and the stack around
them (PostgreSQL, Redis, the AWS and Stripe emulators, haproxy) are here; what a service adds (its port, database, Redis
user, the services it calls, its own variables) is its entry in the topology, read as the task definitions read it.

    compose.py <topology.json>    the file, on standard output

./dev generate runs it with ./dev's names for the local stack in the environment (below), and writes or checks the file.
"""
import json
import os
import re
import sys
from pathlib import Path

from task_definitions import called_service_urls, service_url, token_keys_url

MOTO_IMAGE = "motoserver/moto:5.1.0"
# ./dev's names for the local stack, which ./dev generate passes on: PostgreSQL's and Redis's admin, the admin account
# customers ensures at start-up, the Stripe emulator's webhook secret and what a service's Redis user may run.
ADMIN, ADMIN_PASSWORD = os.environ["DB_USER"], os.environ["DB_PASSWORD"]
REDIS_ADMIN, REDIS_ADMIN_PASSWORD = os.environ["REDIS_ADMIN_USER"], os.environ["REDIS_ADMIN_PASSWORD"]
WEBHOOK_SECRET = os.environ["DEV_WEBHOOK_SECRET"]
REDIS_SERVICE_COMMANDS = os.environ["REDIS_SERVICE_COMMANDS"]
STRIPE_EMULATOR = "http://stripe:12111"
# What only compose's stack sets, beside the topology's variables.
LOCAL_ENVIRONMENT = {
    "customers": {"ADMIN_EMAIL": os.environ["DEFAULT_ADMIN_EMAIL"], "ADMIN_PASSWORD": os.environ["DEFAULT_ADMIN_PASSWORD"]},
    "payments": {"STRIPE_API_BASE": STRIPE_EMULATOR},
    # Test cards confirmed at the Stripe emulator, which takes any test key, where Stripe.js would take the card.
    "storefront": {"STRIPE_EMULATOR_URL": STRIPE_EMULATOR, "STRIPE_EMULATOR_SECRET_KEY": "sk_test_compose"},
}
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:mycomputer/"
# Text YAML reads as itself, unquoted: a letter or slash first, then nothing YAML or compose gives a meaning to.
PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./:@-]*")
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def scalar(value):
    """A YAML scalar: plain where it reads as the same text, else a JSON string; a $ doubled (compose substitutes it)."""
    text = str(value).replace("$", "$$")
    return text if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS else json.dumps(text)


def db_password(name):
    return f"{name}-db-local"  # ./dev's db_password


def redis_password(name):
    return f"{name}-redis-local"  # ./dev's redis_password


def mapping(values, indent):
    return "".join(f"{' ' * indent}{key}: {scalar(value)}\n" for key, value in values.items())


def shared_environment(topology):
    return (
        "x-environment: &environment\n"
        + mapping({"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://aws:4566", "AWS_ACCESS_KEY_ID": "test",
                   "AWS_SECRET_ACCESS_KEY": "test", "LOG_LEVEL": "info"}, 2)
        + "  TRUSTED_PROXY_NETWORKS: 172.28.0.0/16 # compose's network (below): haproxy and the services calling each other\n"
        + mapping({"DB_HOST": "postgres", "DB_PORT": "5432"}, 2)
        + "  DB_MIGRATE_ON_STARTUP: \"false\" # the service's `migrate` run below does it, as the owner\n"
        + mapping(topology["buckets"] | topology["queues"] | {"JWT_JWKS_URL": token_keys_url(topology)}, 2)
        + "  JWT_JWKS_ALLOW_HTTP: \"true\" # the keys travel only on compose's private network\n"
        + "  # The secrets by ARN, as on AWS; the emulator holds them (aws-setup creates them).\n"
        + mapping({"JWT_SECRET_ARN": SECRET_ARN + "jwt-signing-key", "STRIPE_SECRET_KEY_ARN": SECRET_ARN + "stripe-secret-key",
                   "WEBHOOK_ENDPOINT_SECRET_ARN": SECRET_ARN + "stripe-webhook-secret"}, 2)
    )


def credentials(topology, name):
    """The service's own PostgreSQL role and Redis user (./dev's db_password and redis_password)."""
    service = topology["services"][name]
    values = {"DB_NAME": name, "DB_USER": name, "DB_PASSWORD": db_password(name)} if service["database"] else {}
    if service["redis"]:
        values["REDIS_URL"] = f"redis://{name}:{redis_password(name)}@redis:6379"
    return values


def environment(topology, name):
    service = topology["services"][name]
    values = credentials(topology, name) | called_service_urls(topology, name)
    # The task's own variables but those the stack's outputs fill (${...}): the same values as on AWS.
    values |= {key: value for key, value in service["taskEnvironment"].items() if "${" not in value}
    return values | LOCAL_ENVIRONMENT.get(name, {})


def build(name):
    return f"    build: {{ context: ., dockerfile: services/Dockerfile, args: {{ SERVICE: {name} }} }}\n"


def service_block(topology, name):
    service = topology["services"][name]
    text = (f"  {name}:\n" + build(name) + "    <<: *app\n    environment:\n      <<: *environment\n"
            + mapping({"PORT": str(service["port"])} | environment(topology, name), 6)
            + f"    expose: [\"{service['port']}\"]\n")
    if service["database"]:
        text += f"    depends_on:\n      <<: *app-dependencies\n      {name}-migrate: {{ condition: service_completed_successfully }}\n"
    return text + "    healthcheck: { test: [\"CMD\", \"/app/service\", \"healthcheck\"], interval: 5s, timeout: 3s, retries: 20 }\n"


def migrate_block(topology, name):
    return (f"  {name}-migrate:\n" + build(name) + "    <<: *app\n    restart: \"no\"\n"
            + "    command: [\"migrate\", \"demo-data\"]\n    environment:\n      <<: *environment\n"
            + mapping(environment(topology, name) | {"DB_MIGRATION_USER": ADMIN, "DB_MIGRATION_PASSWORD": ADMIN_PASSWORD}, 6))


def redis_block(topology):
    users = "".join(f"      --user {name} on >{redis_password(name)} resetkeys ~{name}:* resetchannels {REDIS_SERVICE_COMMANDS}\n"
                    for name, service in topology["services"].items() if service["redis"])
    return f"""  redis:
    image: redis:7-alpine
    # A user per service, limited to its own key prefix (the rule of tools/dev/redis.sh); the default user is off.
    command: >-
      redis-server
      --user default off
      --user {REDIS_ADMIN} on >{REDIS_ADMIN_PASSWORD} ~* &* +@all
{users}    healthcheck:
      test: ["CMD", "redis-cli", "--user", "{REDIS_ADMIN}", "--pass", "{REDIS_ADMIN_PASSWORD}", "--no-auth-warning", "ping"]
      interval: 2s
      timeout: 3s
      retries: 30
"""


def compose(topology):
    services = topology["services"]
    webhook = service_url(topology, "payments") + "api/payments/webhooks/stripe"
    waits = "".join(f"      {name}: {{ condition: service_healthy }}\n" for name in services)
    blocks = "\n".join(service_block(topology, name) for name in services)
    migrations = "\n".join(migrate_block(topology, name) for name, service in services.items() if service["database"])
    return f"""# Written by ./dev generate from deploy/topology.json and tools/dev/compose.py: edit those, then run ./dev generate.
# The local stack with Docker: the same services, dependencies, names and variables as ./dev up.
#   docker compose up --build        then the shop at http://localhost:8080/, the APIs at http://localhost:8080/api/<service>/
# The services run hardened as on ECS: read-only root filesystem, no capabilities, no privilege escalation, /tmp in memory.
# Each connects to PostgreSQL as its own role and to Redis as its own user, as on AWS; its one-off `migrate` run (as on
# ECS) applies the migrations as the admin, which creates that role and grants it its privileges, then loads the demo
# data, as ./dev up does.

x-app: &app
  restart: unless-stopped
  read_only: true
  cap_drop: [ALL]
  security_opt: ["no-new-privileges:true"]
  tmpfs: [/tmp]
  depends_on: &app-dependencies
    postgres: {{ condition: service_healthy }}
    redis: {{ condition: service_healthy }}
    aws-setup: {{ condition: service_completed_successfully }}

{shared_environment(topology)}
services:
  postgres:
    image: postgis/postgis:15-3.4
    environment:
      POSTGRES_USER: {ADMIN}
      POSTGRES_PASSWORD: {ADMIN_PASSWORD}
    volumes:
      - ./deploy/local/postgres-init.sql:/docker-entrypoint-initdb.d/10-databases.sql:ro
      - postgres-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "{ADMIN}"]
      interval: 2s
      timeout: 3s
      retries: 30

{redis_block(topology)}
  aws:
    image: {MOTO_IMAGE}
    environment:
      MOTO_PORT: "4566"
    healthcheck:
      test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:4566/moto-api/')"]
      interval: 2s
      timeout: 3s
      retries: 30

  aws-setup:
    # The moto image has Python with boto3 and cryptography: what the setup script needs, as ./dev's machine does.
    image: {MOTO_IMAGE}
    entrypoint: ["python", "/setup/local/create_aws_resources.py"]
    environment:
      AWS_ENDPOINT_URL: http://aws:4566
      AWS_REGION: eu-west-1
      AWS_ACCESS_KEY_ID: test
      AWS_SECRET_ACCESS_KEY: test
      DEV_WEBHOOK_SECRET: {WEBHOOK_SECRET}
    volumes:
      # The script reads the buckets and queues from ../topology.json.
      - ./deploy/local/create_aws_resources.py:/setup/local/create_aws_resources.py:ro
      - ./deploy/topology.json:/setup/topology.json:ro
    depends_on:
      aws: {{ condition: service_healthy }}

  stripe:
    build: {{ context: ., dockerfile: tools/StripeEmulator/Dockerfile }}
    <<: *app
    depends_on: {{}}
    environment:
      STRIPE_WEBHOOK_URL: {webhook}
      WEBHOOK_ENDPOINT_SECRET: {WEBHOOK_SECRET}

{blocks}
  # Each service's one-off `migrate` run, as ECS runs it before a deploy: as the admin, which owns the schema and
  # creates the service's role (DB_USER, DB_PASSWORD) with only what it needs; then the demo data, as that role.
{migrations}
  load-balancer:
    image: haproxy:2.8-alpine
    read_only: true
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt: ["no-new-privileges:true"]
    tmpfs: [/tmp]
    volumes:
      - ./deploy/local/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro
    ports: ["8080:8080"]
    depends_on:
{waits}
volumes:
  postgres-data:

networks:
  default:
    # A fixed range, so the services know which peers may say who the client is (TRUSTED_PROXY_NETWORKS).
    ipam:
      config:
        - subnet: 172.28.0.0/16
"""


if __name__ == "__main__":
    sys.stdout.write(compose(json.loads(Path(sys.argv[1]).read_text())))
