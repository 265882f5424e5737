"""Starting a job, reporting its progress, reading its status: icc.web.jobs.progress on django-tasks."""

from __future__ import annotations

import pytest
from django_tasks.base import TaskError
from django_tasks_db.models import DBTaskResult

from icc.web.jobs import progress
from icc.web.jobs.models import Job
from web.jobs.tasks_for_tests import count_to, fail_after_one


def test_enqueue_makes_a_job_row_and_a_django_tasks_result(oslo):
    job = progress.enqueue(count_to, kind="count", label="Count to 5", user=oslo, args=(5,))
    job = Job.objects.get(pk=job.pk)
    assert (job.kind, job.label, job.started_by, job.done, job.total) == ("count", "Count to 5", oslo, 0, 0)
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.status == "READY"
    assert queued.args_kwargs == {"args": [str(job.pk), 5], "kwargs": {}}  # the job's id first
    assert progress.status(job) == {
        "state": "waiting",
        "done": 0,
        "total": 0,
        "percent": 0,
        "stage": "",
        "failure": "",
        "result_url": "",
    }


def test_a_task_argument_that_is_not_json_queues_nothing(oslo):
    before = (Job.objects.count(), DBTaskResult.objects.count())
    with pytest.raises(TypeError):
        progress.enqueue(count_to, kind="count", label="Count", user=oslo, args=(object(),))
    assert (Job.objects.count(), DBTaskResult.objects.count()) == before


def test_the_worker_runs_the_job_to_the_end(oslo, run_worker):
    job = progress.enqueue(count_to, kind="count", label="Count to 7", user=oslo, kwargs={"n": 7, "result_url": "/x/"})
    run_worker()
    job.refresh_from_db()
    assert progress.status(job) == {
        "state": "finished",
        "done": 7,
        "total": 7,
        "percent": 100,
        "stage": "Counting",
        "failure": "",
        "result_url": "/x/",
    }
    assert progress.task_result(job).return_value == 7


def test_a_failed_job_gives_the_exception_class_and_message_only(oslo, run_worker):
    job = progress.enqueue(fail_after_one, kind="count", label="Fail", user=oslo, args=("the count went wrong",))
    run_worker()
    job.refresh_from_db()
    status = progress.status(job)
    assert (status["state"], status["failure"]) == ("failed", "ValueError: the count went wrong")
    assert (status["done"], status["total"], status["percent"]) == (1, 3, 33)


def test_a_job_whose_result_was_pruned_is_unknown(oslo):
    job = progress.enqueue(count_to, kind="count", label="Count", user=oslo, args=(3,))
    DBTaskResult.objects.filter(pk=job.task_result_id).delete()  # as prune_db_task_results does
    assert progress.status(job)["state"] == "unknown"


def test_the_reporter_writes_at_most_every_half_second_and_always_the_last_report(oslo, django_assert_num_queries):
    job = progress.enqueue(count_to, kind="count", label="Count", user=oslo, args=(10,))
    now = [100.0]
    report = progress.reporter(str(job.pk), clock=lambda: now[0])

    def seen():
        job.refresh_from_db()
        return job.done, job.total, job.stage

    with django_assert_num_queries(1):
        report(1, 10, "Counting")  # the first report is written
    assert seen() == (1, 10, "Counting")
    for at, done in ((100.2, 2), (100.49, 3)):
        now[0] = at
        with django_assert_num_queries(0):
            report(done, 10, "Counting")
    assert seen() == (1, 10, "Counting")
    now[0] = 100.5
    report(4, 10, "Counting")
    assert seen() == (4, 10, "Counting")
    now[0] = 100.6
    report(10, 10, "Writing")  # the last one, however soon
    assert seen() == (10, 10, "Writing")


def test_the_reporter_keeps_counts_within_zero_and_the_total(oslo):
    job = progress.enqueue(count_to, kind="count", label="Count", user=oslo, args=(10,))
    progress.reporter(str(job.pk))(12, 10, "x" * 300)
    job.refresh_from_db()
    assert (job.done, job.total, len(job.stage)) == (10, 10, 100)


def _error(traceback: str, path: str = "builtins.ValueError") -> TaskError:
    return TaskError(exception_class_path=path, traceback=traceback)


FRAMES = 'Traceback (most recent call last):\n  File "/x/tasks.py", line 3, in run\n    raise it\n'


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (_error(FRAMES + "ValueError: bad value\n"), "ValueError: bad value"),
        (_error(FRAMES + "ValueError\n"), "ValueError"),
        (_error(FRAMES + "ValueError: two\nlines\n"), "ValueError: two\nlines"),
        (_error(FRAMES + "icc.engine.Oops: no: colon\n", "icc.engine.Oops"), "Oops: no: colon"),
        (
            _error(
                FRAMES
                + "KeyError: 'a'\n\nDuring handling of the above exception, another exception occurred:\n\n"
                + FRAMES
                + "RuntimeError: the last one\n",
                "builtins.RuntimeError",
            ),
            "RuntimeError: the last one",
        ),
        (_error(""), "ValueError"),
    ],
)
def test_the_failure_reason_is_the_last_exception_without_frames(error, reason):
    assert progress.failure_reason(error) == reason
