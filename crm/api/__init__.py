"""crm's token API: views, input and output serializers, URL patterns."""
