"""An S3-compatible object store for the tests: moto's server mode in a process of its own."""

import subprocess
import sys
import time

import boto3
import pytest

from tests.ops.store import answers, free_port

BUCKET = "jiedao-media"
KEYS = {"S3_ACCESS_KEY_ID": "ops", "S3_SECRET_ACCESS_KEY": "ops", "S3_REGION": "us-east-1"}


@pytest.fixture
def object_store(tmp_path):
    """A fresh bucket on a moto server; yields the settings the portal reads (STORAGE_BACKEND=s3 …)
    and a boto3 client to look inside."""
    port = free_port()
    log = tmp_path / "s3.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 120  # a safety net, not a timing assertion
        while not answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the object store did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
            region_name=KEYS["S3_REGION"],
        )
        client.create_bucket(Bucket=BUCKET)
        env = {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": endpoint, "S3_BUCKET": BUCKET, **KEYS}
        yield {"env": env, "client": client, "bucket": BUCKET, "endpoint": endpoint}
    finally:
        server.terminate()
        server.wait(timeout=20)
