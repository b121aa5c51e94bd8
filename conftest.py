"""Repository-wide pytest configuration."""

# Alembic's env.py and revision scripts only run under Alembic; doctest collection must not
# import them.
collect_ignore_glob = ["listings/migrations/*", "immolijst/migrations/*"]
