# The dashboard function (BUFFERED): JSON API, writes, the page. SSE_URL tells the page (via
# /api/v2/runtime) and the 421 answer where streams live.
module "dashboard" {
  source = "./modules/function_url_lambda"

  function_name        = local.dashboard_function_name
  artifact             = var.dashboard_artifact
  architecture         = var.architecture
  handler              = "dev.pulse.dashboard.DashboardHandler::handleRequest"
  memory_mb            = var.dashboard_memory_mb
  timeout_seconds      = var.dashboard_timeout_seconds
  reserved_concurrency = var.dashboard_reserved_concurrency
  log_retention_days   = var.log_retention_days
  # JSON log lines; the level decides which of them Lambda keeps (variables.tf, log_level).
  application_log_level = var.log_level
  system_log_level      = var.system_log_level

  # Least privilege: read and write the table. PutItem + UpdateItem are what the TransactWriteItems of a
  # write (item + counters) needs.
  policy_statements = {
    ItemsReadWrite = {
      actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]
      resources = [aws_dynamodb_table.items.arn, "${aws_dynamodb_table.items.arn}/index/*"]
    }
  }

  environment = {
    PULSE_TABLE                = aws_dynamodb_table.items.name
    SSE_URL                    = module.sse.function_url
    PULSE_API_KEY_SHA256       = join(",", local.api_key_digests)
    PULSE_CORS_ALLOWED_ORIGINS = local.cors_origins_env
    PULSE_VERSION              = var.pulse_version
    PULSE_ENVIRONMENT          = var.environment
  }

  # SnapStart on published versions, the URL on their alias (variables.tf, snap_start).
  snap_start = var.snap_start

  invoke_mode        = "BUFFERED"
  authorization_type = var.authorization_type
  cors_allow_origins = var.cors_allowed_origins
  cors_allow_methods = ["GET", "POST"]
  cors_allow_headers = ["content-type", "authorization", "idempotency-key", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
}
