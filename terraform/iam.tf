# One role per function, least privilege: the dashboard reads and writes the table, the SSE
# function only reads it; each writes only to its own log group.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "dashboard" {
  name               = "${local.dashboard_function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role" "sse" {
  name               = "${local.sse_function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "dashboard" {
  statement {
    sid = "ItemsReadWrite"
    # PutItem + UpdateItem are what the TransactWriteItems of a write (item + counters) needs.
    actions = [
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]
    resources = [aws_dynamodb_table.items.arn, "${aws_dynamodb_table.items.arn}/index/*"]
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${module.dashboard.log_group_arn}:*"]
  }
}

data "aws_iam_policy_document" "sse" {
  statement {
    sid       = "ItemsReadOnly"
    actions   = ["dynamodb:GetItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.items.arn, "${aws_dynamodb_table.items.arn}/index/*"]
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${module.sse.log_group_arn}:*"]
  }
}

resource "aws_iam_role_policy" "dashboard" {
  name   = "pulse-dashboard"
  role   = aws_iam_role.dashboard.id
  policy = data.aws_iam_policy_document.dashboard.json
}

resource "aws_iam_role_policy" "sse" {
  name   = "pulse-sse"
  role   = aws_iam_role.sse.id
  policy = data.aws_iam_policy_document.sse.json
}
