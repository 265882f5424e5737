"""Tasks that exist for the tests only (the platform has no demonstration job): count to n with progress, fail."""

from __future__ import annotations

import time

from django_tasks import task

from icc.web.jobs import progress


@task()
def count_to(job_id: str, n: int, result_url: str = "", pause: float = 0.0) -> int:
    report = progress.reporter(job_id)
    for i in range(1, n + 1):
        time.sleep(pause)
        report(i, n, "Counting")
    if result_url:
        progress.set_result_url(job_id, result_url)
    return n


@task()
def fail_after_one(job_id: str, message: str) -> None:
    progress.reporter(job_id)(1, 3, "Counting")
    raise ValueError(message)
