# The Function URL, on the unqualified function: Lambda runs $LATEST.PUBLISHED for it. For a public URL, the
# resource-policy statements it needs: lambda:InvokeFunctionUrl, and lambda:InvokeFunction limited to calls that
# come through a Function URL (lambda:InvokedViaFunctionUrl). With AWS_IAM, callers need identity policies instead.

resource "aws_lambda_function_url" "this" {
  function_name      = aws_lambda_function.this.function_name
  authorization_type = var.authorization_type
  invoke_mode        = var.invoke_mode

  cors {
    allow_origins  = var.cors_allow_origins
    allow_methods  = var.cors_allow_methods
    allow_headers  = var.cors_allow_headers
    expose_headers = var.cors_expose_headers
    max_age        = 600
  }
}

resource "aws_lambda_permission" "public_url" {
  count = var.authorization_type == "NONE" ? 1 : 0

  statement_id           = "FunctionUrlPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "public_invoke" {
  count = var.authorization_type == "NONE" ? 1 : 0

  statement_id             = "FunctionUrlPublicInvoke"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.this.function_name
  principal                = "*"
  invoked_via_function_url = true
}
