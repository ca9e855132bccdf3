"""The station's records and rules: schema, services, validation. No Qt, no HTTP."""
