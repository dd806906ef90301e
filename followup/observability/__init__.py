"""Observability: request ids in every log record, JSON logs, Prometheus metrics per forum."""
