"""Persistence: the schema, migrations and every query. SQL lives here and nowhere else."""
