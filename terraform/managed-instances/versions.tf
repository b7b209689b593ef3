# The root for sse_capacity_mode = managed_instances: every file of terraform/ except this one, sse.tf and
# artifacts.auto.tfvars is a relative symlink to terraform/'s, so the two roots cannot drift.
terraform {
  required_version = ">= 1.10" # use_lockfile in the S3 backend

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # modules/sse_managed_instances: the capacity provider (6.24.0) and the function scaling config (6.54.0).
      version = ">= 6.54, < 7.0"
    }
  }

  # The same partial configuration and state key as terraform/ (envs/<env>.backend.hcl): switching an environment's
  # capacity mode changes its SSE function in place of the other, in one state.
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      project     = "pulse"
      environment = var.environment
      managed_by  = "terraform"
    }
  }
}
