# A Lambda function behind its own Function URL: the log group (created first, so retention applies
# from the first line), the function's role (iam.tf), the function, the URL with its invoke mode and
# CORS, and — for a public URL — the resource-policy statements that let anyone call that URL. With
# var.snap_start, every change publishes a version that Lambda snapshots, the alias "live" follows the
# newest one, and the URL and its permissions are on that alias: the URL serves the snapshotted version
# (SnapStart applies to published versions only, never to $LATEST).

locals {
  # The URL's qualifier: the alias with SnapStart, none (the unpublished function, $LATEST) without.
  url_qualifier = var.snap_start ? aws_lambda_alias.live[0].name : null
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name                  = var.function_name
  role                           = aws_iam_role.this.arn
  filename                       = var.artifact
  source_code_hash               = filebase64sha256(var.artifact)
  runtime                        = var.runtime
  handler                        = var.handler
  memory_size                    = var.memory_mb
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  architectures                  = [var.architecture]
  publish                        = var.snap_start

  dynamic "snap_start" {
    for_each = var.snap_start ? [true] : []

    content {
      apply_on = "PublishedVersions"
    }
  }

  environment {
    variables = var.environment
  }

  # JSON: Lambda's own lines are JSON, the function's JSON lines are kept as they are (their fields searchable with
  # filter patterns, their _aws sections turned into metrics), and lines below the levels are dropped.
  logging_config {
    log_format            = "JSON"
    application_log_level = var.application_log_level
    system_log_level      = var.system_log_level
    log_group             = aws_cloudwatch_log_group.this.name
  }
}

# The version the URL serves with SnapStart: moved to each newly published (and snapshotted) version.
resource "aws_lambda_alias" "live" {
  count = var.snap_start ? 1 : 0

  name             = "live"
  description      = "The newest published version of ${var.function_name}: its Function URL serves it, restored from its SnapStart snapshot."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  qualifier          = local.url_qualifier
  authorization_type = var.authorization_type
  invoke_mode        = var.invoke_mode

  cors {
    allow_origins  = var.cors_allow_origins
    allow_methods  = var.cors_allow_methods
    allow_headers  = var.cors_allow_headers
    expose_headers = var.cors_expose_headers
    max_age        = 600
  }
}

# Since October 2025 a new public Function URL needs both lambda:InvokeFunctionUrl and
# lambda:InvokeFunction in the function's resource policy; for a URL on an alias, in the alias's policy
# (the qualifier). AWS scopes the second with the
# lambda:InvokedViaFunctionUrl condition, which aws_lambda_permission gains only in provider 6.x;
# with the pinned 5.100 it is unconditioned (anyone may also call Invoke directly — the same code
# and concurrency a public URL exposes anyway). With AWS_IAM, callers need identity policies instead.
resource "aws_lambda_permission" "public_url" {
  count = var.authorization_type == "NONE" ? 1 : 0

  statement_id           = "FunctionUrlPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  qualifier              = local.url_qualifier
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "public_invoke" {
  count = var.authorization_type == "NONE" ? 1 : 0

  statement_id  = "FunctionUrlPublicInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = local.url_qualifier
  principal     = "*"
}
