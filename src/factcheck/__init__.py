"""factcheck: find check-worthy claims, review them, publish ClaimReview."""

__version__ = "0.1.0"
