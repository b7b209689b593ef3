# One CloudWatch dashboard of Pulse's metrics (namespace Pulse, dimensions function and environment), which both
# functions emit as Embedded Metric Format lines in their logs (docs/operations.md), beside two of Lambda's own:
# the SSE function's concurrent executions (= open streams: one invocation per stream) and its throttles.
locals {
  sse_metric       = ["function", "sse", "environment", var.environment]
  dashboard_metric = ["function", "dashboard", "environment", var.environment]
  end_reasons      = ["max_stream", "deadline", "client_gone", "error"]

  # A widget of metrics over time; each metric is [namespace, name, dimension, value, ..., {options}].
  metric_widget = {
    type   = "metric"
    width  = 12
    height = 6
  }
}

resource "aws_cloudwatch_dashboard" "pulse" {
  dashboard_name = local.name

  dashboard_body = jsonencode({
    widgets = [
      merge(local.metric_widget, {
        x = 0, y = 0
        properties = {
          title  = "Streams started, and ended by reason (per minute)"
          region = var.aws_region
          view   = "timeSeries"
          stat   = "Sum"
          period = 60
          metrics = concat(
            [concat(["Pulse", "StreamsStarted"], local.sse_metric, [{ label = "started" }])],
            [for r in local.end_reasons : concat(["Pulse", "StreamsEnded"], local.sse_metric, ["reason", r, { label = "ended: ${r}" }])],
          )
        }
      }),
      merge(local.metric_widget, {
        x = 12, y = 0
        properties = {
          title  = "Open streams (SSE concurrent executions) and throttles"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", module.sse.function_name, { stat = "Maximum", label = "open streams (max)" }],
            ["AWS/Lambda", "Throttles", "FunctionName", module.sse.function_name, { stat = "Sum", label = "throttled (429)" }],
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 0, y = 6
        properties = {
          title  = "Delivery lag: new_item written to sent (ms)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            concat(["Pulse", "DeliveryLag"], local.sse_metric, [{ stat = "p50", label = "p50" }]),
            concat(["Pulse", "DeliveryLag"], local.sse_metric, [{ stat = "p99", label = "p99" }]),
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 12, y = 6
        properties = {
          title  = "Events and items delivered (per minute)"
          region = var.aws_region
          view   = "timeSeries"
          stat   = "Sum"
          period = 60
          metrics = [
            concat(["Pulse", "EventsDelivered"], local.sse_metric, [{ label = "events" }]),
            concat(["Pulse", "ItemsDelivered"], local.sse_metric, [{ label = "items (new_item)" }]),
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 0, y = 12
        properties = {
          title  = "Stream duration (ms)"
          region = var.aws_region
          view   = "timeSeries"
          period = 300
          metrics = [
            concat(["Pulse", "StreamDuration"], local.sse_metric, [{ stat = "p50", label = "p50" }]),
            concat(["Pulse", "StreamDuration"], local.sse_metric, [{ stat = "Minimum", label = "shortest" }]),
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 12, y = 12
        properties = {
          title  = "Poll latency (ms) and poll failures"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            concat(["Pulse", "PollLatency"], local.sse_metric, [{ stat = "p50", label = "latency p50" }]),
            concat(["Pulse", "PollLatency"], local.sse_metric, [{ stat = "p99", label = "latency p99" }]),
            concat(["Pulse", "PollFailures"], local.sse_metric, [{ stat = "Sum", label = "failures", yAxis = "right" }]),
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 0, y = 18
        properties = {
          title  = "Items ingested (per minute) and ingest latency (ms)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            concat(["Pulse", "ItemsIngested"], local.dashboard_metric, [{ stat = "Sum", label = "ingested" }]),
            concat(["Pulse", "IngestLatency"], local.dashboard_metric, [{ stat = "p50", label = "latency p50", yAxis = "right" }]),
            concat(["Pulse", "IngestLatency"], local.dashboard_metric, [{ stat = "p99", label = "latency p99", yAxis = "right" }]),
          ]
        }
      }),
      merge(local.metric_widget, {
        x = 12, y = 18
        properties = {
          title  = "4xx by error code, and 421 misdirected stream requests (per minute)"
          region = var.aws_region
          view   = "timeSeries"
          period = 60
          metrics = [
            [{ expression = "SEARCH('{Pulse,environment,error_code,function} MetricName=\"ClientErrors\" environment=\"${var.environment}\"', 'Sum', 60)", id = "codes", label = "" }],
            concat(["Pulse", "MisdirectedStreamRequests"], local.dashboard_metric, [{ stat = "Sum", label = "421 misdirected" }]),
          ]
        }
      }),
    ]
  })
}
