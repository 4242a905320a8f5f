"""救急难互助社 case and fund management for village mutual-aid societies."""

__version__ = "0.1.0"
