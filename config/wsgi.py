import os

from django.core.wsgi import get_wsgi_application

from common.process import freeze_what_was_loaded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
freeze_what_was_loaded()
