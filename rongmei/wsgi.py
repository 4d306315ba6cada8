import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongmei.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, Wagtail, our apps: ~150,000 objects)
# lives as long as the process. Moving it out of the collector's sight
# keeps each garbage collection short during requests.
gc.freeze()
