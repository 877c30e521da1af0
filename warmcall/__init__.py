"""warmcall: whom to call today, when, and what to say."""

__version__ = "0.1.0"
