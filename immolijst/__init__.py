"""immolijst package."""
