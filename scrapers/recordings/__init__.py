"""Bundled recorded crawls: ``<recording-set>/<source>.yaml`` vcrpy cassettes."""
