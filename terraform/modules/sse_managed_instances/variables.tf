# ---- The function ----

variable "function_name" {
  description = "Lambda function name; also names its role (<function_name>-role), its inline policy, its log group (/aws/lambda/<function_name>), its capacity provider (<function_name>) and that provider's operator role (<function_name>-operator)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,54}$", var.function_name))
    error_message = "function_name must be 1-54 letters, digits, '-' or '_' (it also names the roles, up to 64 characters with their suffix)."
  }
}

variable "artifact" {
  description = "Path of the deployment package (zip or jar); its hash is the function's source_code_hash, so new code deploys (and publishes $LATEST.PUBLISHED again)."
  type        = string
}

variable "handler" {
  description = "Handler string for the managed runtime (Class::method for java21)."
  type        = string
}

variable "runtime" {
  description = "Managed runtime; Lambda Managed Instances run Java 21 and later."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "Instruction set of the function and of the instances its capacity provider launches: arm64 (Graviton) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mb" {
  description = "Memory of one execution environment in MB: 2,048 at least (Lambda's minimum for Managed Instances). With memory_gib_per_vcpu it sets the environment's vCPUs."
  type        = number

  validation {
    condition     = var.memory_mb >= 2048 && var.memory_mb <= 32768
    error_message = "memory_mb must be between 2048 (Lambda's minimum for Managed Instances) and 32768."
  }
}

variable "memory_gib_per_vcpu" {
  description = "GiB of memory per vCPU of an execution environment: 2, 4 or 8."
  type        = number
  default     = 2

  validation {
    condition     = contains([2, 4, 8], var.memory_gib_per_vcpu)
    error_message = "memory_gib_per_vcpu must be 2, 4 or 8."
  }
}

variable "per_environment_max_concurrency" {
  description = "The most invocations one execution environment takes at once (Lambda sets AWS_LAMBDA_MAX_CONCURRENCY to it)."
  type        = number

  validation {
    condition     = var.per_environment_max_concurrency >= 1 && var.per_environment_max_concurrency <= 1600 && floor(var.per_environment_max_concurrency) == var.per_environment_max_concurrency
    error_message = "per_environment_max_concurrency must be a whole number from 1 to 1600."
  }
}

variable "min_execution_environments" {
  description = "Execution environments Lambda keeps running, whatever the traffic."
  type        = number

  validation {
    condition     = var.min_execution_environments >= 1 && var.min_execution_environments <= 15000 && floor(var.min_execution_environments) == var.min_execution_environments
    error_message = "min_execution_environments must be a whole number from 1 to 15000."
  }
}

variable "max_execution_environments" {
  description = "The most execution environments Lambda runs."
  type        = number

  validation {
    condition     = var.max_execution_environments >= var.min_execution_environments && var.max_execution_environments <= 15000 && floor(var.max_execution_environments) == var.max_execution_environments
    error_message = "max_execution_environments must be a whole number from min_execution_environments to 15000."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds. Managed Instances report a timeout to the caller but do not stop the invocation: the function must end itself before it."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 1 and 900 (a Function URL's longest response)."
  }
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

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the function's and the capacity provider's log groups, in days."
  type        = number
}

variable "application_log_level" {
  description = "Lowest level of the function's own log lines that Lambda keeps (JSON log format)."
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

# ---- The Function URL ----

variable "invoke_mode" {
  description = "Function URL invoke mode: BUFFERED or RESPONSE_STREAM."
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

# ---- The capacity provider and its network ----

variable "vpc_id" {
  description = "The VPC of subnet_ids: its route tables get the DynamoDB gateway endpoint, the CloudWatch Logs endpoint goes into it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Subnets where Lambda launches the instances, one per Availability Zone (Lambda spreads environments across them)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must hold at least one subnet id (subnet-...)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the instances: no inbound rule needed; outbound HTTPS to DynamoDB and the CloudWatch Logs endpoint."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) > 0 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "security_group_ids must hold at least one security group id (sg-...)."
  }
}

variable "allowed_instance_types" {
  description = "EC2 instance types the capacity provider may launch; empty: Lambda chooses among those of var.architecture."
  type        = list(string)
  default     = []
}

variable "max_vcpu_count" {
  description = "The most vCPUs the capacity provider runs across its instances."
  type        = number

  validation {
    condition     = var.max_vcpu_count >= 1 && floor(var.max_vcpu_count) == var.max_vcpu_count
    error_message = "max_vcpu_count must be a whole number of at least 1."
  }
}

variable "scaling_mode" {
  description = "Auto (Lambda scales the instances) or Manual (on target_cpu_utilization)."
  type        = string
  default     = "Auto"

  validation {
    condition     = contains(["Auto", "Manual"], var.scaling_mode)
    error_message = "scaling_mode must be Auto or Manual."
  }
}

variable "target_cpu_utilization" {
  description = "With scaling_mode Manual: the instances' average CPU utilization (percent) the capacity provider scales to."
  type        = number
  default     = 50

  validation {
    condition     = var.target_cpu_utilization > 0 && var.target_cpu_utilization <= 100
    error_message = "target_cpu_utilization must be a percentage above 0 and at most 100."
  }
}

variable "create_dynamodb_endpoint" {
  description = "Add a gateway VPC endpoint for DynamoDB to the subnets' route tables (false: the VPC has one already)."
  type        = bool
  default     = true
}

variable "create_logs_endpoint" {
  description = "Add an interface VPC endpoint for CloudWatch Logs, with private DNS, in the subnets (false: the VPC has one already, or a NAT)."
  type        = bool
  default     = true
}
