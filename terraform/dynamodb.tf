# One table, the layout core's PulseTable creates locally: items under pk=ITEM (sk = the zero-padded
# sequence number, taken in the transaction that stores the item), the head record at pk=METRICS/sk=ALL
# (newest number and totals), per-tag counters under pk=TAG_COUNT, idempotency records under
# pk=IDEMPOTENCY#<key> that TTL removes after 24 h, and the by_tag index for the list API's tag pages.
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

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.table_point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }
}
