# Alarms a deployer wants to hear about (state changes go to var.alarm_actions; make diagnose lists any
# alarm in ALARM). Missing data is "not breaching": no traffic is not a problem.

# Every reserved SSE environment busy: new streams get 429. Abandoned streams hold their environment
# until SSE_MAX_STREAM_SECONDS, so this also fires when clients leave faster than streams end.
resource "aws_cloudwatch_metric_alarm" "sse_throttles" {
  alarm_name          = "${local.sse_function_name}-throttles"
  alarm_description   = "The SSE function refused streams (429): all of its reserved environments were busy, with live or abandoned streams. Raise sse_reserved_concurrency or lower sse_max_stream_seconds."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = module.sse.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

# Invocations that failed: unhandled errors, timeouts, crashed runtimes (the function's log says which).
resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each = {
    (local.dashboard_function_name) = module.dashboard.function_name
    (local.sse_function_name)       = module.sse.function_name
  }

  alarm_name          = "${each.key}-errors"
  alarm_description   = "${each.value} had failed invocations (errors, timeouts, crashes): see its log group, or run make diagnose."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.error_alarm_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}
