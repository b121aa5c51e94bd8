"""Generators that assemble the bundled recordings from templates and seeded W13 listings."""
