"""The ATS API (v1): ``views`` (jobs, applications, rejection reasons; token or session auth),
``public`` (the public job board, no auth), ``serializers`` and ``urls``."""
