# The SSE function (RESPONSE_STREAM), on demand: one stream per execution environment. Its settings are in
# sse_settings.tf, shared with managed-instances/, which deploys it on Lambda Managed Instances instead.
module "sse" {
  source = "./modules/function_url_lambda"

  function_name = local.sse_function_name
  artifact      = var.sse_artifact
  architecture  = var.architecture
  handler       = local.sse_handler
  # Only the local description (local_description) plans this root in Managed Instances mode, to describe it.
  memory_mb            = local.sse_capacity.memory_mb
  timeout_seconds      = 900
  reserved_concurrency = var.sse_reserved_concurrency
  log_retention_days   = var.log_retention_days
  # JSON log lines; the level decides which of them Lambda keeps (variables.tf, log_level).
  application_log_level = var.log_level
  system_log_level      = var.system_log_level

  policy_statements = local.sse_policy_statements
  environment       = local.sse_environment

  # SnapStart on published versions, the URL on their alias (variables.tf, snap_start). Not in the Managed Instances
  # mode that local_description plans here: managed-instances/ deploys that mode without SnapStart.
  snap_start = var.snap_start && var.sse_capacity_mode == "on_demand"

  invoke_mode        = "RESPONSE_STREAM"
  authorization_type = var.authorization_type
  cors_allow_origins = var.cors_allowed_origins
  cors_allow_methods = ["GET"]
  cors_allow_headers = local.sse_cors_allow_headers
}

output "sse_capacity" {
  description = "How the SSE function runs: mode (on_demand | managed_instances), streams per execution environment, the environments kept running, the most environments, and their memory (MB). The local stack runs this decision (terraform/local-functions.json)."
  value       = local.sse_capacity

  precondition {
    condition     = var.sse_capacity_mode == "on_demand" || var.local_description
    error_message = "sse_capacity_mode is managed_instances, which this root cannot deploy: Managed Instances need hashicorp/aws >= 6.54. Plan and apply terraform/managed-instances (scripts/terraform-env.sh does when sse_capacity_mode is managed_instances)."
  }
}
