"""govdesk — 政务公开工作台 for a township 党政办."""

__version__ = "0.1.0"
