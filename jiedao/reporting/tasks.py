"""The annual report build as a Celery task (DESIGN §6). Thin: load by id, call the build."""

from jiedao.jobs import background_job_task
from jiedao.reporting.build import annual_report_fail, annual_report_run

# A build of the demo year takes seconds; a stuck one is stopped and marked failed.
REPORT_SOFT_TIME_LIMIT = 15 * 60


@background_job_task(
    name="jiedao.annual_report_build",  # the registered name, unchanged: queued builds still run
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    id_arg="report_id",
    fail=annual_report_fail,
)
def annual_report_build(report_id: int) -> int:
    report = annual_report_run(report_id=report_id)
    return report.progress if report else 0
