locals {
  name = "pulse-${var.environment}"

  dashboard_function_name = "${local.name}-dashboard"
  sse_function_name       = "${local.name}-sse"

  # Both functions read the same variable names locally (make run) and here.
  cors_origins_env = join(",", var.cors_allowed_origins)

  # The write keys as the dashboard knows them: SHA-256 digests only (PULSE_API_KEY_SHA256), the key's own
  # computed here, so the key itself reaches no resource and therefore no state. A digest is what AWS
  # shows to anyone who may read the function's configuration anyway, so it need not hide plan output.
  api_key_digests = distinct(concat(
    var.api_key == "" ? [] : [nonsensitive(sha256(var.api_key))],
    [for d in var.api_key_sha256 : lower(d)],
  ))
}
