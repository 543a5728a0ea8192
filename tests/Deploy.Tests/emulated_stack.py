"""Builds in an AWS emulator what deploy/deploy.sh needs from the platform stack (deploy/cloudformation/platform.yaml):
the VPC with private subnets in three availability zones, the tasks' security group, the ALB with its HTTPS listener,
the ECS cluster, the Service Connect namespace, the alarm topic, the queues, the buckets and the secrets. It prints the
stack's outputs as OutputName=value lines, named as the template names them.

The emulator does not run the template itself (it lacks some of its resource types), so the resources are made here
with the same settings the template gives them.
"""
import os

import boto3

region = os.environ["AWS_REGION"]
environment = "production"
client = lambda name: boto3.client(name, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region)
ec2, elbv2, ecs, acm, sns, sqs, s3, secrets, discovery = (client(name) for name in
    ("ec2", "elbv2", "ecs", "acm", "sns", "sqs", "s3", "secretsmanager", "servicediscovery"))

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
zones = [f"{region}{zone}" for zone in "abc"]
subnet = lambda cidr, zone: ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
public = [subnet(f"10.0.{i + 1}.0/24", zone) for i, zone in enumerate(zones)]
private = [subnet(f"10.0.{i + 10}.0/24", zone) for i, zone in enumerate(zones)]

alb_group = ec2.create_security_group(GroupName=f"mycomputer-{environment}-alb-public", Description="ALB", VpcId=vpc)["GroupId"]
tasks_group = ec2.create_security_group(GroupName=f"mycomputer-{environment}-ecs-tasks", Description="ECS tasks", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=tasks_group, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 3000, "ToPort": 3010, "UserIdGroupPairs": [{"GroupId": alb_group}]}])

load_balancer = elbv2.create_load_balancer(Name=f"mycomputer-{environment}-alb", Subnets=public, SecurityGroups=[alb_group],
                                           Scheme="internet-facing", Type="application")["LoadBalancers"][0]
certificate = acm.request_certificate(DomainName="mycomputer.com")["CertificateArn"]
not_found = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "application/json"}}]
https = elbv2.create_listener(LoadBalancerArn=load_balancer["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                              Certificates=[{"CertificateArn": certificate}], DefaultActions=not_found)["Listeners"][0]
elbv2.create_listener(LoadBalancerArn=load_balancer["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[
    {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])

cluster = ecs.create_cluster(clusterName=f"mycomputer-{environment}", settings=[{"name": "containerInsights", "value": "enabled"}])
namespace = discovery.create_http_namespace(Name=f"mycomputer-{environment}")
namespace_arn = discovery.get_operation(OperationId=namespace["OperationId"])["Operation"]["Targets"]["NAMESPACE"]
namespace_arn = discovery.get_namespace(Id=namespace_arn)["Namespace"]["Arn"]
topic = sns.create_topic(Name=f"mycomputer-{environment}-alarms")["TopicArn"]

queues = {name: f"mycomputer-{environment}-{name}-events" for name in ("inventory", "payments")}
for queue in queues.values():
    sqs.create_queue(QueueName=queue)
buckets = {name: f"mycomputer-{name}" for name in ("assets", "documents")}
for bucket in buckets.values():
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
secret = lambda name: secrets.create_secret(Name=f"mycomputer/{environment}/{name}", SecretString=f"emulated {name}")["ARN"]

outputs = {
    "EnvironmentName": environment,
    "VpcId": vpc,
    "VpcCidr": "10.0.0.0/16",
    "PrivateSubnets": ",".join(private),
    "TasksSecurityGroup": tasks_group,
    "LoadBalancerArn": load_balancer["LoadBalancerArn"],
    "LoadBalancerDnsName": load_balancer["DNSName"],
    "HttpsListenerArn": https["ListenerArn"],
    "ClusterName": cluster["cluster"]["clusterName"],
    "ServiceConnectNamespace": namespace_arn,
    "AlarmTopicArn": topic,
    "DatabaseHost": f"mycomputer-{environment}.emulated.{region}.rds.amazonaws.com",
    "DatabaseMasterUser": "platform",
    "DatabaseMasterPasswordSecretArn": secret("database-password"),
    "InventoryDatabasePasswordSecretArn": secret("inventory/database-password"),
    "CustomersDatabasePasswordSecretArn": secret("customers/database-password"),
    "PaymentsDatabasePasswordSecretArn": secret("payments/database-password"),
    "LocationsDatabasePasswordSecretArn": secret("locations/database-password"),
    "InventoryRedisUrlSecretArn": secret("inventory/redis-url"),
    "CustomersRedisUrlSecretArn": secret("customers/redis-url"),
    "PaymentsRedisUrlSecretArn": secret("payments/redis-url"),
    "StorefrontRedisUrlSecretArn": secret("storefront/redis-url"),
    "JwtSigningKeySecretArn": secret("jwt-signing-key"),
    "StripeSecretKeySecretArn": secret("stripe-secret-key"),
    "StripeWebhookSecretArn": secret("stripe-webhook-secret"),
    "AdminEmail": "admin@mycomputer.com",
    "AdminPasswordSecretArn": secret("admin-password"),
    "AssetsBucket": buckets["assets"],
    "DocumentsBucket": buckets["documents"],
    "InventoryQueue": queues["inventory"],
    "PaymentsQueue": queues["payments"],
    # The seed's log group names, which the template gives production (the emulator does not check that they exist).
    "InventoryLogGroup": "/ecs/inventory",
    "CustomerBaseLogGroup": "/ecs/customer-base",
    "PaymentsLogGroup": "/ecs/payments",
    "LocationsLogGroup": "/ecs/locations",
    "StorefrontLogGroup": "/ecs/customer-base-frontend",
    "StripePublishableKey": "pk_test_emulated",
}
for name, value in outputs.items():
    print(f"{name}={value}")
