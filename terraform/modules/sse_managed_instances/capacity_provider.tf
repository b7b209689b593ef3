# The capacity provider: the EC2 capacity in the VPC that Lambda runs the function's execution environments on,
# the security boundary between functions (everything on it must trust each other: here, Pulse's SSE function
# alone), with its instance requirements and scaling. Its system logs go to the log group Lambda writes them to
# by default, created here so that retention applies.

resource "aws_cloudwatch_log_group" "capacity_provider" {
  name              = "/aws/lambda/capacity-provider/${var.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_capacity_provider" "this" {
  name = var.function_name

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  permissions_config {
    capacity_provider_operator_role_arn = aws_iam_role.operator.arn
  }

  instance_requirements {
    architectures          = [var.architecture]
    allowed_instance_types = length(var.allowed_instance_types) > 0 ? var.allowed_instance_types : null
  }

  capacity_provider_scaling_config {
    scaling_mode   = var.scaling_mode
    max_vcpu_count = var.max_vcpu_count
    scaling_policies = var.scaling_mode == "Manual" ? [{
      predefined_metric_type = "LambdaCapacityProviderAverageCPUUtilization"
      target_value           = var.target_cpu_utilization
    }] : null
  }

  # Lambda checks the operator role's permissions when it creates the provider.
  depends_on = [aws_iam_role_policy.operator]
}
