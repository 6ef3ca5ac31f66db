"""The Celery app: Redis as broker when REDIS_URL is set; otherwise tasks run in-process.

Configuration comes from Django settings prefixed CELERY_ (see settings.py). Each
app's `tasks.py` is discovered. Start a worker with
`celery -A pti_bridge worker -l info`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pti_bridge.settings")

app = Celery("pti_bridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
