"""matcher: what a household can afford after the Flemish rent allowances."""

__all__: list[str] = []
