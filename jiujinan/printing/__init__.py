"""The printed papers (ReportLab, the bundled CJK font embedded as a subset). Each paper is
built from plain data (jiujinan.printing.data), never from the database directly."""
