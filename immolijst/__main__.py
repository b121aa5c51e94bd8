"""``python -m immolijst`` runs the command line."""

from immolijst.cli import main

main()
