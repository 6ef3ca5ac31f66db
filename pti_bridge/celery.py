"""The Celery app: Redis as broker when REDIS_URL is set; otherwise tasks run in-process.

Configuration comes from Django settings prefixed CELERY_ (see settings.py). Each
app's `tasks.py` is discovered. Start a worker with
`celery -A pti_bridge worker -l info`.
"""

import os

from celery import Celery

from pti_bridge import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pti_bridge.settings")
# A worker that survives a Redis restart (see pti_bridge/broker.py).
broker.use_for_redis_urls()

app = Celery("pti_bridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The outbox's tasks live beside the plumbing under their own name; a worker must know them
# (Celery beat sends pti_bridge.outbox_tasks.sweep_outbox).
app.autodiscover_tasks(lambda: ["pti_bridge"], related_name="outbox_tasks")
