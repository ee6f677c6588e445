"""Resume files to text to a structured profile: pure functions, no models beyond caching."""
