"""Creates what the services expect on an AWS emulator, as the CloudFormation stack does on AWS: the buckets, each
queue with its dead-letter queue (5 receives, 4 days' retention, 20 s long polling, as the seeds), and the secrets.
Safe to run again. ./dev and docker compose both run it; it prints NAME_ARN=arn lines for the secrets.

The buckets and queues are those of deploy/topology.json. Settings come from the environment: AWS_ENDPOINT_URL,
AWS_REGION, DEV_WEBHOOK_SECRET and EXTRA_QUEUES (more queue names, separated by spaces).
"""
import json
import os
import secrets as random

import boto3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "topology.json")) as file:
    topology = json.load(file)
region = os.environ["AWS_REGION"]
clients = {name: boto3.client(name, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region) for name in ("s3", "sqs", "secretsmanager")}

for bucket in topology["buckets"].values():
    try:
        clients["s3"].head_bucket(Bucket=bucket)
    except clients["s3"].exceptions.ClientError:
        clients["s3"].create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    # Versioned, as the template makes every bucket: what deletes documents must delete their versions too.
    clients["s3"].put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})

FOUR_DAYS = str(4 * 24 * 3600)
for queue in [*topology["queues"].values(), *os.environ.get("EXTRA_QUEUES", "").split()]:
    dead_letters = clients["sqs"].create_queue(QueueName=f"{queue}-dlq", Attributes={"MessageRetentionPeriod": FOUR_DAYS})["QueueUrl"]
    arn = clients["sqs"].get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    clients["sqs"].create_queue(QueueName=queue, Attributes={
        "MessageRetentionPeriod": FOUR_DAYS,
        "ReceiveMessageWaitTimeSeconds": "20",
        "VisibilityTimeout": "30",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "5"}),
    })


def ensure_secret(name, make_value):
    try:
        return clients["secretsmanager"].describe_secret(SecretId=name)["ARN"]
    except clients["secretsmanager"].exceptions.ResourceNotFoundException:
        return clients["secretsmanager"].create_secret(Name=name, SecretString=make_value())["ARN"]


def signing_key():
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


print(f"JWT_SECRET_ARN={ensure_secret('mycomputer/jwt-signing-key', signing_key)}")
print(f"STRIPE_SECRET_KEY_ARN={ensure_secret('mycomputer/stripe-secret-key', lambda: 'sk_test_' + random.token_hex(24))}")
# Not a secret locally: README prints it, so a webhook can be signed by hand.
print(f"WEBHOOK_ENDPOINT_SECRET_ARN={ensure_secret('mycomputer/stripe-webhook-secret', lambda: os.environ['DEV_WEBHOOK_SECRET'])}")
