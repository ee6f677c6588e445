"""The board of a job (included by ats/urls.py in the ``ats`` namespace)."""

urlpatterns: list = []
