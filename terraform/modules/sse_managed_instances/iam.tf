# The function's own role, least privilege: Lambda may assume it, and it may write to its own log group and do
# what var.policy_statements grant, nothing else. It needs no EC2 permission: on Managed Instances the capacity
# provider's operator role (operator.tf) manages the instances and their network interfaces, not the function.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.policy_statements

    content {
      sid       = statement.key
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

# One inline policy, as modules/function_url_lambda has, so the same moved blocks keep the role when a
# deployment switches capacity modes.
resource "aws_iam_role_policy" "this" {
  name   = var.function_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json

  lifecycle {
    create_before_destroy = true
  }
}
