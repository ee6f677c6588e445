"""Site plumbing shared by every app: users and roles, base views, health, mail outbox, demo data."""
