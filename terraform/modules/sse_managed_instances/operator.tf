# The capacity provider's operator role: what Lambda may do in this account to run the instances. The permissions
# of AWS's managed policy AWSLambdaManagedEC2ResourceOperator (the documented minimum, "Lambda operator role for
# Lambda Managed Instances"), scoped to this account and region, to the capacity provider's subnets and security
# groups, and to its own log group; if AWS extends that policy, extend this one.

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  ec2_arn = "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
}

data "aws_iam_policy_document" "operator_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "operator" {
  name               = "${var.function_name}-operator"
  assume_role_policy = data.aws_iam_policy_document.operator_assume.json
}

data "aws_iam_policy_document" "operator" {
  # Instances, their network interfaces and volumes, only when Lambda's scaler is the one launching them.
  statement {
    sid       = "LaunchManagedInstances"
    actions   = ["ec2:RunInstances", "ec2:CreateTags", "ec2:AttachNetworkInterface"]
    resources = ["${local.ec2_arn}:instance/*", "${local.ec2_arn}:network-interface/*", "${local.ec2_arn}:volume/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:ManagedResourceOperator"
      values   = ["scaler.lambda.amazonaws.com"]
    }
  }

  statement {
    sid = "ReadCapacity"
    actions = [
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeCapacityReservations",
      "ec2:DescribeInstances",
      "ec2:DescribeInstanceStatus",
      "ec2:DescribeInstanceTypeOfferings",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
    ]
    resources = ["*"] # Describe actions take no resource
  }

  statement {
    sid     = "OwnNetwork"
    actions = ["ec2:RunInstances", "ec2:CreateNetworkInterface"]
    resources = concat(
      [for id in var.subnet_ids : "${local.ec2_arn}:subnet/${id}"],
      [for id in var.security_group_ids : "${local.ec2_arn}:security-group/${id}"],
    )
  }

  statement {
    sid       = "AmazonImages"
    actions   = ["ec2:RunInstances"]
    resources = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}::image/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:Owner"
      values   = ["amazon"]
    }
  }

  # The capacity provider's system logs (instances launched, environments started, failures).
  statement {
    sid       = "OwnSystemLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.capacity_provider.arn}:*"]
  }
}

resource "aws_iam_role_policy" "operator" {
  name   = "${var.function_name}-operator"
  role   = aws_iam_role.operator.id
  policy = data.aws_iam_policy_document.operator.json
}
