"""The attack corpus of issue 15: one test per attack an office-PC attacker tried, kept so
that none comes back (restore, rows edited outside the app, reads around the door, duties,
hostile district files, files the app writes, sign-in, signatures)."""
