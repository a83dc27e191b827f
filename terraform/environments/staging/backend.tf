# Remote state in Linode Object Storage through the S3 backend (partial configuration: the
# bucket, endpoint and keys are passed at init, never committed). See docs/terraform.md:
#
#   terraform init -backend-config=../backend.hcl \
#     -backend-config="access_key=$LINODE_OBJ_ACCESS_KEY" -backend-config="secret_key=$LINODE_OBJ_SECRET_KEY"
#
# Tests run with local state in a temporary directory (`terraform init -backend=false`).
terraform {
  backend "s3" {
    key = "staging/terraform.tfstate"
  }
}
