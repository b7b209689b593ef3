# The function on the capacity provider: its log group (created first, so retention applies from the first line),
# the function published as $LATEST.PUBLISHED (the version Lambda runs and scales; an unqualified invocation, the
# Function URL's, runs it), and how many execution environments run it.

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  role             = aws_iam_role.this.arn
  filename         = var.artifact
  source_code_hash = filebase64sha256(var.artifact)
  runtime          = var.runtime
  handler          = var.handler
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds
  architectures    = [var.architecture]

  # Managed Instances run published versions only. $LATEST.PUBLISHED is republished in place on each change, so
  # no numbered version is left behind keeping its own environments running.
  publish    = true
  publish_to = "LATEST_PUBLISHED"

  capacity_provider_config {
    lambda_managed_instances_capacity_provider_config {
      capacity_provider_arn                     = aws_lambda_capacity_provider.this.arn
      per_execution_environment_max_concurrency = var.per_environment_max_concurrency
      execution_environment_memory_gib_per_vcpu = var.memory_gib_per_vcpu
    }
  }

  environment {
    variables = var.environment
  }

  # JSON: the function's JSON lines are kept as they are (their fields searchable, their _aws sections metrics).
  logging_config {
    log_format            = "JSON"
    application_log_level = var.application_log_level
    system_log_level      = var.system_log_level
    log_group             = aws_cloudwatch_log_group.this.name
  }
}

# Lambda keeps min_execution_environments running (started when the version is published, so no request waits
# on a cold start) and scales up to max_execution_environments on CPU and concurrency saturation.
resource "aws_lambda_function_scaling_config" "this" {
  function_name = aws_lambda_function.this.function_name
  qualifier     = "$LATEST.PUBLISHED"

  function_scaling_config {
    min_execution_environments = var.min_execution_environments
    max_execution_environments = var.max_execution_environments
  }
}
