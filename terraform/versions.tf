terraform {
  required_version = ">= 1.10" # use_lockfile in the S3 backend

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100 (the offline tiers plan and apply with it) up to any 6.x: no resource or argument used here is among
      # the 6.0 upgrade guide's changes (docs/deploy.md, "Provider versions"). CI validates with the newest 6.x.
      version = ">= 5.100, < 7.0"
    }
  }

  # Partial configuration: bucket, key, region come from envs/<env>.backend.hcl
  # (terraform init -backend-config=envs/<env>.backend.hcl).
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
