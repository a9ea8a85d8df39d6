"""Stopping the processes tollstream starts (workers, browsers): politely, then for sure."""

import os
import signal
import subprocess


def stop_group(process: "subprocess.Popen[bytes]", grace: float = 30.0) -> None:
    """SIGTERM the process's group, and SIGKILL it if it is still there after ``grace`` seconds.

    The group, not the process: a worker's extraction process and a browser's helpers go with it.
    """
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
