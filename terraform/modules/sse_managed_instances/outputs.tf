# The same names as modules/function_url_lambda's, so a root can use either module for a function.

output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "The function's ARN."
  value       = aws_lambda_function.this.arn
}

output "function_url" {
  description = "The Function URL (ends with /)."
  value       = aws_lambda_function_url.this.function_url
}

output "log_group_name" {
  description = "The function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "capacity_provider_arn" {
  description = "ARN of the function's capacity provider."
  value       = aws_lambda_capacity_provider.this.arn
}

output "capacity_provider_log_group_name" {
  description = "The capacity provider's CloudWatch log group (its system logs)."
  value       = aws_cloudwatch_log_group.capacity_provider.name
}

output "operator_role_arn" {
  description = "ARN of the capacity provider's operator role."
  value       = aws_iam_role.operator.arn
}
