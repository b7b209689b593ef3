variable "environment" {
  description = "Environment name; part of every resource name (pulse-<environment>-...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.environment))
    error_message = "environment must be 2-20 characters: lower-case letters, digits and '-', starting with a letter."
  }
}

variable "aws_region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "dashboard_artifact" {
  description = "The dashboard function's shaded jar (built by `make build`), relative to this directory (or absolute)."
  type        = string
  default     = "../dashboard-handler/target/dashboard-handler.jar"
}

variable "sse_artifact" {
  description = "The SSE function's zip (bootstrap + jar, built by `make build`), relative to this directory (or absolute)."
  type        = string
  default     = "../sse-handler/target/sse-handler.zip"
}

variable "api_key" {
  description = "The write key (Authorization: Bearer <key>). Only its SHA-256 digest reaches AWS (PULSE_API_KEY_SHA256); the key is in no resource and no state. Pass it as TF_VAR_api_key. A saved plan file does hold variables: where the plan is kept, pass api_key_sha256 instead."
  type        = string
  default     = ""
  sensitive   = true
}

variable "api_key_sha256" {
  description = "SHA-256 digests (64 hex characters) of write keys, for callers that keep the key itself away from Terraform (the deploy workflow, whose prod plan is an artifact) and for a rotation (the new and the old key). With api_key, two digests at most."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for d in var.api_key_sha256 : can(regex("^[0-9a-fA-F]{64}$", d))])
    error_message = "api_key_sha256 holds SHA-256 digests, 64 hex characters each (printf %s \"$KEY\" | sha256sum)."
  }

  validation {
    condition     = length(var.api_key_sha256) + (var.api_key == "" ? 0 : 1) <= 2
    error_message = "At most two write keys at once (the new and the old one during a rotation): api_key and api_key_sha256 together name more."
  }
}

variable "allow_open_writes" {
  description = "true, on purpose, to deploy a public URL (authorization_type NONE) that accepts writes from anyone, without a key."
  type        = bool
  default     = false

  validation {
    condition     = var.allow_open_writes || var.authorization_type != "NONE" || var.api_key != "" || length(var.api_key_sha256) > 0
    error_message = "authorization_type is NONE and no write key is given, so anyone could write to the public URL. Give the key (TF_VAR_api_key, or its digest in api_key_sha256), use authorization_type = \"AWS_IAM\", or set allow_open_writes = true if open writes are what you want."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to call both Function URLs from a browser (\"*\" for any)."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allowed_origins) > 0 && alltrue([for o in var.cors_allowed_origins : o == "*" || can(regex("^https?://[^/]+$", o))])
    error_message = "cors_allowed_origins: \"*\" or origins like https://dash.example.com (scheme and host, no path)."
  }
}

variable "authorization_type" {
  description = "Function URL auth: NONE (public, the API key guards writes) or AWS_IAM (SigV4-signed requests only)."
  type        = string
  default     = "NONE"

  validation {
    condition     = contains(["NONE", "AWS_IAM"], var.authorization_type)
    error_message = "authorization_type must be NONE or AWS_IAM."
  }
}

variable "dashboard_reserved_concurrency" {
  description = "Reserved concurrency of the dashboard function; -1 = unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.dashboard_reserved_concurrency >= -1
    error_message = "dashboard_reserved_concurrency must be -1 (unreserved) or >= 0."
  }
}

variable "sse_reserved_concurrency" {
  description = "Reserved concurrency of the SSE function, i.e. the most streams (live or abandoned) at once; -1 = unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.sse_reserved_concurrency >= -1
    error_message = "sse_reserved_concurrency must be -1 (unreserved) or >= 0."
  }
}

variable "architecture" {
  description = "Instruction set of both functions: arm64 (Graviton, about 20 % cheaper per GB-second than x86_64; both artifacts are JVM bytecode plus a POSIX sh bootstrap, see docs/deploy.md, \"Cost of an open stream\") or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "dashboard_memory_mb" {
  description = "Dashboard function memory (MB)."
  type        = number
  default     = 1024

  validation {
    condition     = var.dashboard_memory_mb >= 256 && var.dashboard_memory_mb <= 10240
    error_message = "dashboard_memory_mb must be between 256 and 10240."
  }
}

variable "sse_memory_mb" {
  description = "SSE function memory (MB). An open stream bills its memory for every second it is open, so this is the main cost of Pulse (docs/deploy.md, \"Cost of an open stream\"). 256: make bench measured 77-83 MiB RSS per SSE environment, the same at 256, 512 and 1024; the price is a slower cold start, since Lambda gives CPU in proportion to memory (estimated up to ~7 s for a new environment's first event at 256, ~3.5 s at 512)."
  type        = number
  default     = 256

  validation {
    condition     = var.sse_memory_mb >= 256 && var.sse_memory_mb <= 10240
    error_message = "sse_memory_mb must be between 256 and 10240."
  }
}

variable "dashboard_timeout_seconds" {
  description = "Dashboard function timeout."
  type        = number
  default     = 15

  validation {
    condition     = var.dashboard_timeout_seconds >= 3 && var.dashboard_timeout_seconds <= 900
    error_message = "dashboard_timeout_seconds must be between 3 and 900."
  }
}

variable "sse_heartbeat_interval_seconds" {
  description = "SSE_HEARTBEAT_INTERVAL_SECONDS: a ': heartbeat' comment after this many seconds of silence."
  type        = number
  default     = 30

  validation {
    condition     = var.sse_heartbeat_interval_seconds >= 1 && var.sse_heartbeat_interval_seconds <= 300
    error_message = "sse_heartbeat_interval_seconds must be between 1 and 300."
  }
}

variable "sse_max_stream_seconds" {
  description = "SSE_MAX_STREAM_SECONDS: a stream ends with `event: reconnect` after this long (the function timeout is 900 s). Also how long an environment stays held after its client left: size reserved concurrency with it."
  type        = number
  default     = 50

  validation {
    condition     = var.sse_max_stream_seconds >= 5 && var.sse_max_stream_seconds <= 885
    error_message = "sse_max_stream_seconds must be between 5 and 885 (the 900 s timeout minus a margin)."
  }
}

variable "sse_poll_interval_ms" {
  description = "SSE_POLL_INTERVAL_MS: how often a stream reads new items from the table."
  type        = number
  default     = 1000

  validation {
    condition     = var.sse_poll_interval_ms >= 100 && var.sse_poll_interval_ms <= 60000
    error_message = "sse_poll_interval_ms must be between 100 and 60000."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of both functions' log groups."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "log_level" {
  description = "Both functions' application log level (JSON logs). INFO keeps one line per request and the stream lines, which also carry the metrics (Embedded Metric Format): WARN or above drops those lines, and with them the metrics and the CloudWatch dashboard's data. DEBUG adds the SSE function's per-batch lines."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "system_log_level" {
  description = "Level of Lambda's own log lines for both functions (platform.start, platform.report with duration and memory, runtime errors)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN"], var.system_log_level)
    error_message = "system_log_level must be DEBUG, INFO or WARN."
  }
}

variable "pulse_version" {
  description = "PULSE_VERSION reported by /health and /api/v2/runtime (e.g. the git commit)."
  type        = string
  default     = "dev"
}

variable "table_point_in_time_recovery" {
  description = "Point-in-time recovery on the items table."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "Where the alarms notify (e.g. SNS topic ARNs), on ALARM and on OK. Empty: the alarms only change state (make diagnose reports those in ALARM)."
  type        = list(string)
  default     = []
}

variable "error_alarm_threshold" {
  description = "Function errors (invocations that failed, timed out or crashed) in 5 minutes that raise a function's error alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.error_alarm_threshold >= 1
    error_message = "error_alarm_threshold must be at least 1."
  }
}
