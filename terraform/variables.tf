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
  description = "Dashboard function memory (MB). 1024: the cheapest per request on make bench's curve of latency against dollars; below it requests wait for their CPU share (docs/performance.md, \"Cold starts\")."
  type        = number
  default     = 1024

  validation {
    condition     = var.dashboard_memory_mb >= 256 && var.dashboard_memory_mb <= 10240
    error_message = "dashboard_memory_mb must be between 256 and 10240."
  }
}

variable "sse_memory_mb" {
  description = "SSE function memory (MB). An open stream bills its memory for every second it is open, so this is the main cost of Pulse (docs/deploy.md, \"Cost of an open stream\"). 256: make bench measured 77-83 MiB RSS per SSE environment at 256, 512 and 1024, and, under Lambda's CPU share, a new viewer's wait (init + first byte) of 0.9-1.1 s at every size from 256 to 1769, so more memory costs more without starting faster (docs/performance.md, \"Cold starts\")."
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

variable "snap_start" {
  description = "Lambda SnapStart for the on-demand functions: the dashboard, and the SSE function unless sse_capacity_mode is managed_instances (Managed Instances restore no snapshots). Each change publishes a version that Lambda initialises once and snapshots, each Function URL moves to the alias live on the newest version, and a new execution environment is restored from the snapshot instead of running init on the first request's path. Switching it gives both functions new URLs (a URL is made per qualifier). Off by default: docs/deploy.md, \"SnapStart\", says why and what to check before turning it on."
  type        = bool
  default     = false
  nullable    = false
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

# ---- The SSE function's capacity mode (docs/deploy.md, "Capacity modes") ----

variable "sse_capacity_mode" {
  description = "How the SSE function runs: on_demand (one stream per execution environment, the default) or managed_instances (Lambda Managed Instances: up to sse_per_environment_max_concurrency streams per environment, on EC2 capacity in your VPC). managed_instances is deployed from terraform/managed-instances (hashicorp/aws >= 6.54); scripts/terraform-env.sh picks that root when the environment's tfvars choose it."
  type        = string
  default     = "on_demand"

  validation {
    condition     = contains(["on_demand", "managed_instances"], var.sse_capacity_mode)
    error_message = "sse_capacity_mode must be on_demand or managed_instances."
  }
}

variable "sse_per_environment_max_concurrency" {
  description = "Managed Instances: the most streams (invocations) one SSE execution environment takes at once; Lambda sets AWS_LAMBDA_MAX_CONCURRENCY to it. AWS's Java default is 32 per vCPU, for handlers that use their CPU; a Pulse stream mostly waits (a poll a second, a heartbeat every 30 s), so 64 on the default 1 vCPU (2,048 MB at 2 GiB per vCPU)."
  type        = number
  default     = 64

  validation {
    condition     = var.sse_per_environment_max_concurrency >= 1 && var.sse_per_environment_max_concurrency <= 1600 && floor(var.sse_per_environment_max_concurrency) == var.sse_per_environment_max_concurrency
    error_message = "sse_per_environment_max_concurrency must be a whole number from 1 to 1600 (Lambda's range)."
  }
}

variable "sse_min_execution_environments" {
  description = "Managed Instances: execution environments Lambda keeps running for the SSE function even when no one watches (3: what Lambda starts by default, one per Availability Zone)."
  type        = number
  default     = 3

  validation {
    condition     = var.sse_min_execution_environments >= 1 && var.sse_min_execution_environments <= 15000 && floor(var.sse_min_execution_environments) == var.sse_min_execution_environments
    error_message = "sse_min_execution_environments must be a whole number from 1 to 15000."
  }
}

variable "sse_max_execution_environments" {
  description = "Managed Instances: the most execution environments Lambda may run for the SSE function; with sse_per_environment_max_concurrency, the most streams at once (10 x 64 = 640 by default)."
  type        = number
  default     = 10

  validation {
    condition     = var.sse_max_execution_environments >= var.sse_min_execution_environments && var.sse_max_execution_environments <= 15000 && floor(var.sse_max_execution_environments) == var.sse_max_execution_environments
    error_message = "sse_max_execution_environments must be a whole number from sse_min_execution_environments to 15000."
  }
}

variable "sse_managed_instances_memory_mb" {
  description = "Managed Instances: memory of one SSE execution environment in MB (2,048 at least, Lambda's minimum for Managed Instances). With sse_memory_gib_per_vcpu it also sets the environment's vCPUs. (On-demand uses sse_memory_mb.)"
  type        = number
  default     = 2048

  validation {
    condition     = var.sse_managed_instances_memory_mb >= 2048 && var.sse_managed_instances_memory_mb <= 32768
    error_message = "sse_managed_instances_memory_mb must be between 2048 (Lambda's minimum for Managed Instances) and 32768."
  }
}

variable "sse_memory_gib_per_vcpu" {
  description = "Managed Instances: GiB of memory per vCPU of an SSE execution environment: 2 (compute optimized, the default: 1 vCPU at 2,048 MB), 4 (general purpose) or 8 (memory optimized)."
  type        = number
  default     = 2

  validation {
    condition     = contains([2, 4, 8], var.sse_memory_gib_per_vcpu)
    error_message = "sse_memory_gib_per_vcpu must be 2, 4 or 8."
  }
}

variable "sse_capacity_provider_vpc_id" {
  description = "Managed Instances: the VPC of the capacity provider's subnets (its route tables get the DynamoDB gateway endpoint). Required with sse_capacity_mode = managed_instances."
  type        = string
  default     = null

  validation {
    condition     = var.sse_capacity_mode != "managed_instances" || can(regex("^vpc-[0-9a-f]+$", var.sse_capacity_provider_vpc_id))
    error_message = "sse_capacity_mode is managed_instances: set sse_capacity_provider_vpc_id to the VPC of the capacity provider's subnets (vpc-...)."
  }
}

variable "sse_capacity_provider_subnet_ids" {
  description = "Managed Instances: subnets (one per Availability Zone, at least one, three recommended) where Lambda launches the instances. They need no NAT: DynamoDB is reached through a gateway endpoint, CloudWatch Logs through an interface endpoint (sse_create_logs_endpoint). Required with sse_capacity_mode = managed_instances."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.sse_capacity_provider_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))]) && (var.sse_capacity_mode != "managed_instances" || length(var.sse_capacity_provider_subnet_ids) > 0)
    error_message = "sse_capacity_provider_subnet_ids holds subnet ids (subnet-...), and at least one when sse_capacity_mode is managed_instances."
  }
}

variable "sse_capacity_provider_security_group_ids" {
  description = "Managed Instances: security groups of the instances. They need no inbound rule; outbound HTTPS (443) to DynamoDB's prefix list and to the CloudWatch Logs endpoint. Required with sse_capacity_mode = managed_instances."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.sse_capacity_provider_security_group_ids : can(regex("^sg-[0-9a-f]+$", s))]) && (var.sse_capacity_mode != "managed_instances" || length(var.sse_capacity_provider_security_group_ids) > 0)
    error_message = "sse_capacity_provider_security_group_ids holds security group ids (sg-...), and at least one when sse_capacity_mode is managed_instances."
  }
}

variable "sse_capacity_provider_allowed_instance_types" {
  description = "Managed Instances: EC2 instance types the capacity provider may launch (e.g. [\"m7g.large\"]); empty: Lambda chooses, as AWS recommends. Their architecture is var.architecture."
  type        = list(string)
  default     = []
}

variable "sse_capacity_provider_max_vcpu_count" {
  description = "Managed Instances: the most vCPUs the capacity provider runs across its instances, the cost ceiling of the fleet."
  type        = number
  default     = 16

  validation {
    condition     = var.sse_capacity_provider_max_vcpu_count >= 1 && floor(var.sse_capacity_provider_max_vcpu_count) == var.sse_capacity_provider_max_vcpu_count
    error_message = "sse_capacity_provider_max_vcpu_count must be a whole number of at least 1."
  }
}

variable "sse_capacity_provider_scaling_mode" {
  description = "Managed Instances: Auto (Lambda scales the instances on CPU and concurrency saturation) or Manual (on the average CPU utilization target sse_capacity_provider_target_cpu_utilization)."
  type        = string
  default     = "Auto"

  validation {
    condition     = contains(["Auto", "Manual"], var.sse_capacity_provider_scaling_mode)
    error_message = "sse_capacity_provider_scaling_mode must be Auto or Manual."
  }
}

variable "sse_capacity_provider_target_cpu_utilization" {
  description = "Managed Instances with scaling mode Manual: the average CPU utilization (percent) the capacity provider scales to."
  type        = number
  default     = 50

  validation {
    condition     = var.sse_capacity_provider_target_cpu_utilization > 0 && var.sse_capacity_provider_target_cpu_utilization <= 100
    error_message = "sse_capacity_provider_target_cpu_utilization must be a percentage above 0 and at most 100."
  }
}

variable "sse_create_dynamodb_endpoint" {
  description = "Managed Instances: add a gateway VPC endpoint for DynamoDB to the route tables of the capacity provider's subnets, so the streams reach the table without a NAT. false when the VPC already has one on those route tables."
  type        = bool
  default     = true
}

variable "sse_create_logs_endpoint" {
  description = "Managed Instances: add an interface VPC endpoint for CloudWatch Logs (private DNS) in the capacity provider's subnets: the functions' log lines leave the instances through the VPC. false when the VPC already has one, or a NAT."
  type        = bool
  default     = true
}

variable "local_description" {
  description = "Internal, not for deployments: true only in the offline plan local-lambda makes to describe the functions for the local stack (make local-functions, terraform/local-functions.json). It lets this root describe sse_capacity_mode = managed_instances, which it cannot deploy."
  type        = bool
  default     = false
}
