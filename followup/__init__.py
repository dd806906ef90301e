"""followup: the follow-up tracker for intergovernmental forums (service layer and entry points)."""

__version__ = "0.1.0"
