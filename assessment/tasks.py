"""The ballot-slip PDF as a Celery task. Thin: load by id, call the build (assessment.slips)."""

from jiedao.jobs import background_job_task, time_limit_for

from .slips import slip_job_fail, slip_job_run

SLIPS_SOFT_TIME_LIMIT = 10 * 60
SLIPS_TIME_LIMIT = time_limit_for(SLIPS_SOFT_TIME_LIMIT)


@background_job_task(
    name="assessment.ballot_slips_build", soft_time_limit=SLIPS_SOFT_TIME_LIMIT, id_arg="job_id", fail=slip_job_fail
)
def ballot_slips_build(job_id: int) -> int:
    job = slip_job_run(job_id=job_id)
    return job.progress if job else 0
