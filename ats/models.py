"""Models of ats land with its issue."""
