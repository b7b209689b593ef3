environment                    = "prod"
aws_region                     = "eu-west-1"
authorization_type             = "NONE"
cors_allowed_origins           = ["*"]
sse_reserved_concurrency       = 100
dashboard_reserved_concurrency = 50
log_retention_days             = 30
# The write key never comes from this file: TF_VAR_api_key (make deploy, from PULSE_API_KEY) or its
# SHA-256 digest in TF_VAR_api_key_sha256 (the deploy workflow). Without one, a plan with
# authorization_type NONE fails, unless allow_open_writes = true is set here on purpose.
