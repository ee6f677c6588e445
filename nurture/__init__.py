"""Sequences, steps, enrollments, messages, tracking, triggers and the dispatcher."""
