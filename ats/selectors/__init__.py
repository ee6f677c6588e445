"""Reads of the ATS, one module per concept. Every read a user can trigger takes the user and
starts from a ``*_visible_to`` selector (the public career site's reads start from the public
jobs). Selectors import models only: never services, views or the API."""
