#!/usr/bin/env bash
# Creates or updates the platform stack (deploy/cloudformation/platform.yaml) as mycomputer-<environment>.
#
#   deploy/deploy-infrastructure.sh <production|staging|development>
#
# The first run needs, in the environment: CERTIFICATE_ARN (ACM, same region), ADMIN_EMAIL, ALARM_EMAIL,
# STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, and optionally GITHUB_REPOSITORY (owner/name) for the CI/CD role. It
# generates the token signing key. Later runs keep every parameter's value unless it is set again.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
environment="${1:?usage: deploy/deploy-infrastructure.sh <production|staging|development>}"
stack="mycomputer-$environment"
parameters=("EnvironmentName=$environment")

add() { # add <Parameter> <VARIABLE> <required on the first run: yes|no>
  if [ -n "${!2:-}" ]; then parameters+=("$1=${!2}"); elif [ "$3" = yes ] && [ "$first_run" = yes ]; then missing+=("$2"); fi
}

first_run=no
aws cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1 || first_run=yes
missing=()
add CertificateArn CERTIFICATE_ARN yes
add AdminEmail ADMIN_EMAIL yes
add AlarmEmail ALARM_EMAIL yes
add StripeSecretKey STRIPE_SECRET_KEY yes
add StripeWebhookSecret STRIPE_WEBHOOK_SECRET yes
add GitHubRepository GITHUB_REPOSITORY no
add DatabaseInstanceClass DATABASE_INSTANCE_CLASS no
add BucketPrefix BUCKET_PREFIX no
[ ${#missing[@]} -eq 0 ] || { echo "the first deploy of $stack needs: ${missing[*]}" >&2; exit 1; }
if [ "$first_run" = yes ]; then
  # An EC P-256 key for ES256 tokens; it goes straight into Secrets Manager and is never written to disk.
  parameters+=("JwtSigningKeyPem=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)")
fi

aws cloudformation deploy --stack-name "$stack" --template-file "$DEPLOY/cloudformation/platform.yaml" \
  --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset \
  --parameter-overrides "${parameters[@]}" \
  --tags "Environment=$environment" Application=mycomputer Team=platform CostCenter=engineering ManagedBy=cloudformation Owner=platform@mycomputer.com
aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
