# Each function's role and policy moved into modules/function_url_lambda (iam.tf): these blocks let
# an existing deployment keep its roles instead of deleting and recreating them. The inline policy
# is renamed pulse-<env>-<function> on the way; the module creates it before deleting the old one.

moved {
  from = aws_iam_role.dashboard
  to   = module.dashboard.aws_iam_role.this
}

moved {
  from = aws_iam_role.sse
  to   = module.sse.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.dashboard
  to   = module.dashboard.aws_iam_role_policy.this
}

moved {
  from = aws_iam_role_policy.sse
  to   = module.sse.aws_iam_role_policy.this
}
