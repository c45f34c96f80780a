"""Storage: the ports callers depend on (`ports`) and their DynamoDB adapter (`dynamo`)."""
