# What the SSE function is, whichever capacity mode runs it: its code, permissions, variables and URL. sse.tf of
# this root (on-demand) and of managed-instances/ (Lambda Managed Instances) both build it from these.
locals {
  sse_handler = "dev.pulse.sse.SseRuntimeMain::handleRequest"

  # Least privilege: the stream only reads the table.
  sse_policy_statements = {
    ItemsReadOnly = {
      actions   = ["dynamodb:GetItem", "dynamodb:Query"]
      resources = [aws_dynamodb_table.items.arn, "${aws_dynamodb_table.items.arn}/index/*"]
    }
  }

  # AWS_LAMBDA_EXEC_WRAPPER: the managed java21 runtime execs the zip's bootstrap, which execs the function's own
  # Runtime API loop: the managed Java runtime buffers responses, this loop streams them (sse-handler/README.md).
  sse_environment = {
    AWS_LAMBDA_EXEC_WRAPPER        = "/var/task/bootstrap"
    PULSE_TABLE                    = aws_dynamodb_table.items.name
    PULSE_VERSION                  = var.pulse_version
    PULSE_ENVIRONMENT              = var.environment
    PULSE_CORS_ALLOWED_ORIGINS     = local.cors_origins_env
    SSE_HEARTBEAT_INTERVAL_SECONDS = tostring(var.sse_heartbeat_interval_seconds)
    SSE_MAX_STREAM_SECONDS         = tostring(var.sse_max_stream_seconds)
    SSE_POLL_INTERVAL_MS           = tostring(var.sse_poll_interval_ms)
  }

  # Last-Event-ID: what EventSource sends when it resumes; authorization for AWS_IAM signing.
  sse_cors_allow_headers = ["last-event-id", "cache-control", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]

  # The capacity decision, as the sse_capacity output carries it (the local stack reads it from the plan).
  sse_capacity = var.sse_capacity_mode == "managed_instances" ? {
    mode                            = "managed_instances"
    per_environment_max_concurrency = var.sse_per_environment_max_concurrency
    min_execution_environments      = var.sse_min_execution_environments
    max_execution_environments      = var.sse_max_execution_environments
    memory_mb                       = var.sse_managed_instances_memory_mb
    } : {
    mode                            = "on_demand"
    per_environment_max_concurrency = 1
    min_execution_environments      = 0
    max_execution_environments      = var.sse_reserved_concurrency
    memory_mb                       = var.sse_memory_mb
  }
}
