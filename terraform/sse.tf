# The SSE function (RESPONSE_STREAM). It runs on managed java21 with AWS_LAMBDA_EXEC_WRAPPER
# pointing at the zip's bootstrap, which execs the function's own Runtime API loop: the managed
# Java runtime buffers responses, this loop streams them (sse-handler/README.md).
module "sse" {
  source = "./modules/function_url_lambda"

  function_name        = local.sse_function_name
  artifact             = var.sse_artifact
  architecture         = var.architecture
  handler              = "dev.pulse.sse.SseRuntimeMain::handleRequest"
  memory_mb            = var.sse_memory_mb
  timeout_seconds      = 900
  reserved_concurrency = var.sse_reserved_concurrency
  log_retention_days   = var.log_retention_days
  # JSON log lines; the level decides which of them Lambda keeps (variables.tf, log_level).
  application_log_level = var.log_level
  system_log_level      = var.system_log_level

  # Least privilege: the stream only reads the table.
  policy_statements = {
    ItemsReadOnly = {
      actions   = ["dynamodb:GetItem", "dynamodb:Query"]
      resources = [aws_dynamodb_table.items.arn, "${aws_dynamodb_table.items.arn}/index/*"]
    }
  }

  environment = {
    AWS_LAMBDA_EXEC_WRAPPER        = "/var/task/bootstrap"
    PULSE_TABLE                    = aws_dynamodb_table.items.name
    PULSE_VERSION                  = var.pulse_version
    PULSE_ENVIRONMENT              = var.environment
    PULSE_CORS_ALLOWED_ORIGINS     = local.cors_origins_env
    SSE_HEARTBEAT_INTERVAL_SECONDS = tostring(var.sse_heartbeat_interval_seconds)
    SSE_MAX_STREAM_SECONDS         = tostring(var.sse_max_stream_seconds)
    SSE_POLL_INTERVAL_MS           = tostring(var.sse_poll_interval_ms)
  }

  invoke_mode        = "RESPONSE_STREAM"
  authorization_type = var.authorization_type
  cors_allow_origins = var.cors_allowed_origins
  cors_allow_methods = ["GET"]
  # Last-Event-ID: what EventSource sends when it resumes; authorization for AWS_IAM signing.
  cors_allow_headers = ["last-event-id", "cache-control", "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
}
