#!/usr/bin/env bash
# Creates or updates the platform stack (deploy/cloudformation/platform.yaml) as mycomputer-<environment>.
#
#   deploy/deploy-infrastructure.sh <production|staging|development>
#
# The first run needs, in the environment: CERTIFICATE_ARN (ACM, same region), ADMIN_EMAIL, ALARM_EMAIL,
# STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY, and optionally GITHUB_REPOSITORY (owner/name) for the CI/CD role. It
# generates the token signing key. Later runs keep every parameter's value unless it is set again. A second
# environment in an account that has one already also sets GITHUB_OIDC_PROVIDER_ARN and IMAGE_REPOSITORIES=shared
# (deploy/README.md). A stack whose first create failed and rolled back is deleted and created again.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
environment="${1:?usage: deploy/deploy-infrastructure.sh <production|staging|development>}"
stack="mycomputer-$environment"
parameters=("EnvironmentName=$environment")

fail() { printf 'deploy-infrastructure: %s\n' "$*" >&2; exit 1; }

add() { # add <Parameter> <VARIABLE> <required on the first run: yes|no>
  if [ -n "${!2:-}" ]; then parameters+=("$1=${!2}"); elif [ "$3" = yes ] && [ "$first_run" = yes ]; then missing+=("$2"); fi
}

# ---------------------------------------------------------------------------------------------------- the stack's state

# The status is what the CLI prints; its errors (and any warning it gives on success) go to a file of their own.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
if ! status=$(aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].StackStatus' --output text 2>"$errors"); then
  grep -q "does not exist" "$errors" || fail "cannot read the stack $stack: $(cat "$errors")"
  status=NONE
fi
case "$status" in
  # REVIEW_IN_PROGRESS: a create whose change set was never executed; the stack has no resources yet.
  NONE | REVIEW_IN_PROGRESS | ROLLBACK_COMPLETE) first_run=yes ;;
  ROLLBACK_FAILED | DELETE_FAILED)
    aws cloudformation list-stack-resources --stack-name "$stack" --output text \
      --query "StackResourceSummaries[?ends_with(ResourceStatus, 'FAILED')].[LogicalResourceId,PhysicalResourceId,ResourceStatusReason]" >&2 || true
    fail "$stack is in $status: CloudFormation could not delete the resources above (usually the deletion-protected database" \
      "or a bucket that is not empty). Delete them, or the stack with --retain-resources, as deploy/README.md says, then run this again." ;;
  UPDATE_ROLLBACK_FAILED)
    fail "$stack is in UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback (the stack's events say why)." \
      "Fix the cause, run 'aws cloudformation continue-update-rollback --stack-name $stack' (with --resources-to-skip" \
      "for a resource that cannot be rolled back) and wait for UPDATE_ROLLBACK_COMPLETE, then run this again." ;;
  *_IN_PROGRESS) fail "$stack is in $status: wait until that operation ends, then run this again." ;;
  *) first_run=no ;;
esac

missing=()
add CertificateArn CERTIFICATE_ARN yes
add AdminEmail ADMIN_EMAIL yes
add AlarmEmail ALARM_EMAIL yes
add StripeSecretKey STRIPE_SECRET_KEY yes
add StripeWebhookSecret STRIPE_WEBHOOK_SECRET yes
add StripePublishableKey STRIPE_PUBLISHABLE_KEY yes
add GitHubRepository GITHUB_REPOSITORY no
add GitHubOidcProviderArn GITHUB_OIDC_PROVIDER_ARN no
add ImageRepositories IMAGE_REPOSITORIES no
add DatabaseInstanceClass DATABASE_INSTANCE_CLASS no
add BucketPrefix BUCKET_PREFIX no
[ ${#missing[@]} -eq 0 ] || fail "the first deploy of $stack needs: ${missing[*]}"

if [ "$status" = ROLLBACK_COMPLETE ]; then
  # A stack whose first create rolled back holds nothing (each resource was deleted, or kept by its DeletionPolicy) and
  # can only be deleted: an update would fail.
  echo "$stack is in ROLLBACK_COMPLETE: its first create failed (the stack's events say why). Deleting it and creating it" \
    "again; deploy/README.md says what a failed create can leave behind." >&2
  aws cloudformation delete-stack --stack-name "$stack" &&
    aws cloudformation wait stack-delete-complete --stack-name "$stack" ||
    fail "could not delete $stack: a resource its failed create left (usually the deletion-protected database or a bucket" \
      "that is not empty) is in the way. deploy/README.md, 'When the first create fails', says how to remove it; then run" \
      "this again."
fi
if [ "$first_run" = yes ]; then
  # An EC P-256 key for ES256 tokens; it goes straight into Secrets Manager and is never written to disk.
  parameters+=("JwtSigningKeyPem=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)")
fi

# The template is larger than CloudFormation takes inline (51,200 bytes), so it goes through a bucket of the account's
# own, made on the first run in a region outside any stack, and made private, TLS only, each upload kept 30 days, on
# every run (so an interrupted first run leaves nothing open).
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region || true)}}"
[ -n "$region" ] || fail "no region: set AWS_REGION"
caller=$(aws sts get-caller-identity --query '[Account, Arn]' --output text) || fail "no AWS credentials: aws sts get-caller-identity failed"
read -r account partition <<<"$(sed 's/arn:\([^:]*\):.*/\1/' <<<"$caller")"
templates="mycomputer-cloudformation-$account-$region"
# A bucket of that name that is not this account's (S3 names are global) is refused here rather than written to.
if ! aws s3api head-bucket --bucket "$templates" --expected-bucket-owner "$account" >/dev/null 2>&1; then
  echo "Creating the bucket $templates for the stacks' templates"
  location=(--create-bucket-configuration "LocationConstraint=$region")
  [ "$region" != us-east-1 ] || location=(--region us-east-1) # the one region that takes no location constraint
  aws s3api create-bucket --bucket "$templates" --region "$region" "${location[@]}" >/dev/null \
    || fail "could not create the bucket $templates (if another account has that name, it cannot be used)"
fi
aws s3api put-public-access-block --bucket "$templates" --expected-bucket-owner "$account" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-policy --bucket "$templates" --expected-bucket-owner "$account" --policy "$(jq -cn --arg bucket "arn:$partition:s3:::$templates" '{
  Version: "2012-10-17", Statement: [{Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [$bucket, "\($bucket)/*"],
    Condition: {Bool: {"aws:SecureTransport": "false"}}}]}')"
aws s3api put-bucket-lifecycle-configuration --bucket "$templates" --expected-bucket-owner "$account" --lifecycle-configuration \
  '{"Rules": [{"ID": "templates-for-30-days", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}}]}'

aws cloudformation deploy --stack-name "$stack" --template-file "$DEPLOY/cloudformation/platform.yaml" \
  --s3-bucket "$templates" --s3-prefix "$stack" \
  --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset \
  --parameter-overrides "${parameters[@]}" \
  --tags "Environment=$environment" Application=mycomputer Team=platform CostCenter=engineering ManagedBy=cloudformation Owner=platform@mycomputer.com
aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
