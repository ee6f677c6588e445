"""Analytics pages (one module per page)."""
