# The SSE function (RESPONSE_STREAM) on Lambda Managed Instances: up to sse_per_environment_max_concurrency
# streams per execution environment, on a capacity provider in the VPC (modules/sse_managed_instances). Its
# settings are in sse_settings.tf, shared with terraform/, which deploys it on demand.
module "sse" {
  source = "./modules/sse_managed_instances"

  function_name   = local.sse_function_name
  artifact        = var.sse_artifact
  architecture    = var.architecture
  handler         = local.sse_handler
  memory_mb       = var.sse_managed_instances_memory_mb
  timeout_seconds = 900
  # JSON log lines; the level decides which of them Lambda keeps (variables.tf, log_level).
  log_retention_days    = var.log_retention_days
  application_log_level = var.log_level
  system_log_level      = var.system_log_level

  policy_statements = local.sse_policy_statements
  environment       = local.sse_environment

  invoke_mode        = "RESPONSE_STREAM"
  authorization_type = var.authorization_type
  cors_allow_origins = var.cors_allowed_origins
  cors_allow_methods = ["GET"]
  cors_allow_headers = local.sse_cors_allow_headers

  # No SnapStart here (var.snap_start is the dashboard's only, in this root): Managed Instances start their
  # environments ahead of any request and restore no snapshots (docs/deploy.md, "SnapStart").
  per_environment_max_concurrency = var.sse_per_environment_max_concurrency
  memory_gib_per_vcpu             = var.sse_memory_gib_per_vcpu
  min_execution_environments      = var.sse_min_execution_environments
  max_execution_environments      = var.sse_max_execution_environments

  vpc_id                   = var.sse_capacity_provider_vpc_id
  subnet_ids               = var.sse_capacity_provider_subnet_ids
  security_group_ids       = var.sse_capacity_provider_security_group_ids
  allowed_instance_types   = var.sse_capacity_provider_allowed_instance_types
  max_vcpu_count           = var.sse_capacity_provider_max_vcpu_count
  scaling_mode             = var.sse_capacity_provider_scaling_mode
  target_cpu_utilization   = var.sse_capacity_provider_target_cpu_utilization
  create_dynamodb_endpoint = var.sse_create_dynamodb_endpoint
  create_logs_endpoint     = var.sse_create_logs_endpoint
}

output "sse_capacity" {
  description = "How the SSE function runs: mode (managed_instances here), streams per execution environment, the environments kept running, the most environments, and their memory (MB)."
  value       = local.sse_capacity

  precondition {
    condition     = var.sse_capacity_mode == "managed_instances"
    error_message = "This root deploys the SSE function on Lambda Managed Instances, and sse_capacity_mode is on_demand: plan and apply terraform/ instead (scripts/terraform-env.sh picks the root from sse_capacity_mode)."
  }
}
