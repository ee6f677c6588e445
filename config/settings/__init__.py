"""Settings modules: ``development`` (default for manage.py), ``test`` and ``production``.

All three read the environment strictly through :mod:`config.env`.
"""
