"""The Bus port's implementations: EventBridge PutEvents, and a local bus that routes by template.yaml."""
