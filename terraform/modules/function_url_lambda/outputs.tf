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

output "url_qualifier" {
  description = "The alias the Function URL is on (live, with SnapStart), or null: the URL is on the unpublished function ($LATEST)."
  value       = aws_lambda_function_url.this.qualifier
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
