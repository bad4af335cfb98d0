"""Helpers of the operations tests: free ports, and what a bucket holds."""

import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def bucket_keys(store) -> list[str]:
    return sorted(o["Key"] for o in store["client"].list_objects_v2(Bucket=store["bucket"]).get("Contents", []))
