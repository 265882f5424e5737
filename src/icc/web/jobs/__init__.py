"""Background jobs: who started a job and how far it has got. Queue, worker and results are django-tasks'.

:mod:`.progress` is the part other apps use: :func:`~.progress.enqueue` a task, :func:`~.progress.reporter` for
its progress, :func:`~.progress.status` to show it.
"""
