locals {
  name = "pulse-${var.environment}"

  dashboard_function_name = "${local.name}-dashboard"
  sse_function_name       = "${local.name}-sse"

  # Both functions read the same variable names locally (make run) and here.
  cors_origins_env = join(",", var.cors_allowed_origins)
}
