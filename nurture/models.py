"""Models of nurture land with its issue."""
