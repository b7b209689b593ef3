# One table, the layout core's PulseTable creates locally: items under pk=ITEM (sk = time-ordered id),
# the metric counters at pk=METRICS/sk=ALL, and the by_tag index for tag filters and tag resume.
resource "aws_dynamodb_table" "items" {
  name         = "${local.name}-items"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "tag"
    type = "S"
  }

  global_secondary_index {
    name            = "by_tag"
    hash_key        = "tag"
    range_key       = "sk"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = var.table_point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }
}
