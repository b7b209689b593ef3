# Remote state for prod: S3, locked by a lock file in the bucket (use_lockfile, Terraform >= 1.10).
# The bucket is created once by hand: see the README, "Deploy to AWS".
bucket       = "pulse-terraform-state-CHANGE-ME" # or TF_STATE_BUCKET / -backend-config=bucket=...
key          = "pulse/prod/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true
