variable "function_name" {
  description = "Lambda function name; also names its role (<function_name>-role), its inline policy and its log group (/aws/lambda/<function_name>)."
  type        = string
}

variable "artifact" {
  description = "Path of the deployment package (zip or jar); its hash is the function's source_code_hash, so new code deploys."
  type        = string
}

variable "handler" {
  description = "Handler string for the managed runtime (Class::method for java21)."
  type        = string
}

variable "runtime" {
  description = "Managed runtime."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "Instruction set the function runs on: arm64 (Graviton, about 20 % cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mb" {
  description = "Memory of the function in MB; Lambda gives it CPU in proportion (one vCPU at 1769 MB) and bills GB-seconds of it."
  type        = number
}

variable "timeout_seconds" {
  description = "Function timeout in seconds: the invocation is stopped after this long."
  type        = number
}

variable "reserved_concurrency" {
  description = "Reserved concurrency: the most invocations (execution environments) at once; -1 = unreserved."
  type        = number
  default     = -1
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
}

variable "policy_statements" {
  description = "IAM statements the function's role gets besides writing to its own log group, keyed by statement id (letters and digits only): effect (default Allow), actions, resources."
  type = map(object({
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for sid, s in var.policy_statements : can(regex("^[A-Za-z0-9]+$", sid)) && contains(["Allow", "Deny"], s.effect)])
    error_message = "policy_statements: keys are statement ids (letters and digits only), effect is Allow or Deny."
  }
}

variable "snap_start" {
  description = "Lambda SnapStart: every change publishes a version, Lambda runs its init once and snapshots it, and new execution environments are restored from that snapshot instead of running init on a request's path. The Function URL and its permissions move to the alias live on the newest version (a new URL: a URL is made per qualifier). false: the unpublished function ($LATEST) behind the URL, init on demand."
  type        = bool
  default     = false
  nullable    = false
}

variable "invoke_mode" {
  description = "Function URL invoke mode: BUFFERED (the response is sent when the function returns) or RESPONSE_STREAM (bytes reach the client as the function writes them)."
  type        = string

  validation {
    condition     = contains(["BUFFERED", "RESPONSE_STREAM"], var.invoke_mode)
    error_message = "invoke_mode must be BUFFERED or RESPONSE_STREAM."
  }
}

variable "authorization_type" {
  description = "Function URL auth type: NONE (public; the URL gets the permissions a public URL needs) or AWS_IAM (SigV4-signed requests only)."
  type        = string

  validation {
    condition     = contains(["NONE", "AWS_IAM"], var.authorization_type)
    error_message = "authorization_type must be NONE or AWS_IAM."
  }
}

variable "cors_allow_origins" {
  description = "Function URL CORS: origins whose pages may call the URL (\"*\" for any)."
  type        = list(string)
}

variable "cors_allow_methods" {
  description = "Function URL CORS: methods a page may use."
  type        = list(string)
}

variable "cors_allow_headers" {
  description = "Function URL CORS: request headers a page may send."
  type        = list(string)
}

variable "cors_expose_headers" {
  description = "Function URL CORS: response headers a page may read besides the CORS-safelisted ones."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the function's log group, in days."
  type        = number
}

variable "application_log_level" {
  description = "Lowest level of the function's own log lines that Lambda keeps (JSON log format; Lambda sets AWS_LAMBDA_LOG_LEVEL to it)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.application_log_level)
    error_message = "application_log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "system_log_level" {
  description = "Lowest level of Lambda's own lines (platform start, report, errors) that it keeps: DEBUG, INFO or WARN."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN"], var.system_log_level)
    error_message = "system_log_level must be DEBUG, INFO or WARN."
  }
}
