"""The nurture API (v1): ``views`` (thin DRF views over nurture's services and selectors),
``serializers`` (input and output) and ``urls``."""
