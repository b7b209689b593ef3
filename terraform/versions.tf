terraform {
  required_version = ">= 1.10" # use_lockfile in the S3 backend

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
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
