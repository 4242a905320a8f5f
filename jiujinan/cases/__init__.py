"""The domain rules of 救急难 aid, in plain Python (no Qt, SQLAlchemy or ReportLab)."""
