# What the function reaches from inside the VPC, without a NAT gateway: DynamoDB through a gateway endpoint on the
# subnets' route tables (no cost), and CloudWatch Logs, where the environments' log lines go, through an interface
# endpoint with private DNS in the subnets. Nothing else: Lambda hands the invocations to the instances, and the
# function calls no other AWS API.

# Each subnet's route table: its own, or the VPC's main one when it has none.
data "aws_route_tables" "subnet" {
  for_each = var.create_dynamodb_endpoint ? toset(var.subnet_ids) : toset([])

  vpc_id = var.vpc_id

  filter {
    name   = "association.subnet-id"
    values = [each.value]
  }
}

data "aws_route_tables" "main" {
  count = var.create_dynamodb_endpoint ? 1 : 0

  vpc_id = var.vpc_id

  filter {
    name   = "association.main"
    values = ["true"]
  }
}

locals {
  route_table_ids = var.create_dynamodb_endpoint ? distinct(flatten([
    for id in var.subnet_ids : length(data.aws_route_tables.subnet[id].ids) > 0 ? data.aws_route_tables.subnet[id].ids : data.aws_route_tables.main[0].ids
  ])) : []
}

resource "aws_vpc_endpoint" "dynamodb" {
  count = var.create_dynamodb_endpoint ? 1 : 0

  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.route_table_ids
}

# The logs endpoint takes HTTPS from the instances' security groups only.
resource "aws_security_group" "logs_endpoint" {
  count = var.create_logs_endpoint ? 1 : 0

  name        = "${var.function_name}-logs-endpoint"
  description = "CloudWatch Logs interface endpoint of ${var.function_name}: HTTPS from its Managed Instances"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "logs_endpoint" {
  for_each = var.create_logs_endpoint ? toset(var.security_group_ids) : toset([])

  security_group_id            = aws_security_group.logs_endpoint[0].id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "HTTPS from the Managed Instances of ${var.function_name}"
}

resource "aws_vpc_endpoint" "logs" {
  count = var.create_logs_endpoint ? 1 : 0

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.region}.logs"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.logs_endpoint[0].id]
  private_dns_enabled = true
}
