"""WSGI entry point, as gunicorn runs it: ``gunicorn sciday.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciday.settings")

application = get_wsgi_application()
