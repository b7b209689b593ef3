variable "function_name" {
  description = "Lambda function name; the log group is /aws/lambda/<function_name>."
  type        = string
}

variable "role_arn" {
  description = "Execution role."
  type        = string
}

variable "artifact" {
  description = "Path of the deployment package (zip or jar)."
  type        = string
}

variable "handler" {
  description = "Handler string for the managed runtime."
  type        = string
}

variable "runtime" {
  description = "Managed runtime."
  type        = string
  default     = "java21"
}

variable "memory_mb" {
  type = number
}

variable "timeout_seconds" {
  type = number
}

variable "reserved_concurrency" {
  description = "-1 = unreserved."
  type        = number
  default     = -1
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
}

variable "invoke_mode" {
  description = "Function URL invoke mode."
  type        = string

  validation {
    condition     = contains(["BUFFERED", "RESPONSE_STREAM"], var.invoke_mode)
    error_message = "invoke_mode must be BUFFERED or RESPONSE_STREAM."
  }
}

variable "authorization_type" {
  description = "Function URL auth type: NONE or AWS_IAM."
  type        = string
}

variable "cors_allow_origins" {
  type = list(string)
}

variable "cors_allow_methods" {
  type = list(string)
}

variable "cors_allow_headers" {
  type = list(string)
}

variable "cors_expose_headers" {
  type    = list(string)
  default = []
}

variable "log_retention_days" {
  type = number
}
