"""Validation and normalization of what clerks type: ID numbers, phones, credit codes."""
