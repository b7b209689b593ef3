terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # aws_lambda_capacity_provider, capacity_provider_config and publish_to arrived in 6.24.0;
      # aws_lambda_function_scaling_config, which sets the execution environments, in 6.54.0.
      version = ">= 6.54, < 7.0"
    }
  }
}
