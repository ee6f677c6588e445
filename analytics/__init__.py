"""Funnel and engagement metrics, rollups, dashboards and exports."""
