"""One module per area of the API; ``moviebook.api.app`` includes them under /api/v1."""
