"""Models of analytics land with its issue."""
