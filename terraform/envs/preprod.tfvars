environment                    = "preprod"
aws_region                     = "eu-west-1"
authorization_type             = "NONE"
cors_allowed_origins           = ["*"]
sse_reserved_concurrency       = 20
dashboard_reserved_concurrency = 10
log_retention_days             = 7
# api_key comes from TF_VAR_api_key (a CI secret), never from this file.
