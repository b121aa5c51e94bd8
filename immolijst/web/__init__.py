"""The woonclub's web app (the ``[web]`` extra): login, households, the immolijst pages.

Start it with ``immolijst serve``; build it in code with :func:`create_app`.
"""

from immolijst.web.app import add_user, create_app, parse_duration, purge_households, serve

__all__ = ["add_user", "create_app", "parse_duration", "purge_households", "serve"]
