# Names fixed by the contract (docs/architecture.md, "Terraform"): the e2e suite, make diagnose and the deploy workflow read them.

output "dashboard_function_url" {
  description = "Dashboard Function URL (BUFFERED): API, writes, the page."
  value       = module.dashboard.function_url
}

output "sse_lambda_function_url" {
  description = "SSE Function URL (RESPONSE_STREAM): /api/v2/stream*."
  value       = module.sse.function_url
}

output "dashboard_function_name" {
  description = "Name of the dashboard function (make diagnose reads its configuration)."
  value       = module.dashboard.function_name
}

output "sse_function_name" {
  description = "Name of the SSE function (make diagnose reads its configuration and exec wrapper)."
  value       = module.sse.function_name
}

output "table_name" {
  description = "The items table (DynamoDB)."
  value       = aws_dynamodb_table.items.name
}

output "dashboard_log_group" {
  description = "The dashboard function's CloudWatch log group (make diagnose summarises its JSON lines)."
  value       = module.dashboard.log_group_name
}

output "sse_log_group" {
  description = "The SSE function's CloudWatch log group (make diagnose summarises its JSON lines)."
  value       = module.sse.log_group_name
}

output "alarm_names" {
  description = "CloudWatch alarms of this deployment (make diagnose reports those in ALARM)."
  value       = [for alarm in concat([aws_cloudwatch_metric_alarm.sse_throttles], values(aws_cloudwatch_metric_alarm.errors)) : alarm.alarm_name]
}

output "cloudwatch_dashboard_name" {
  description = "The CloudWatch dashboard of Pulse's metrics (make diagnose prints its console link)."
  value       = aws_cloudwatch_dashboard.pulse.dashboard_name
}
