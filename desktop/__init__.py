"""AI Review Desk: offline review of AI model deliveries."""

__version__ = "0.1.0"
