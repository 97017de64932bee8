"""Start `twitch-kg serve` on a free loopback port for a benchmark, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(extra_env: dict | None = None, args: tuple[str, ...] = (), processes: list | None = None):
    """Yield (base_url, seconds_to_first_200) of a real server process on loopback; ``processes``,
    if given, gets the server's process (to sample its memory, say)."""
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:  # not a pipe: a full pipe would stall the server mid-benchmark
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", *args, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=log,
        )
        if processes is not None:
            processes.append(process)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = started + 120
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("server exited: " + log.read().decode(errors="replace")[-2000:])
                try:
                    with urllib.request.urlopen(url + "/", timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.perf_counter() > deadline:
                        raise RuntimeError("server did not answer within 120 s") from None
                    time.sleep(0.02)
            yield url, time.perf_counter() - started
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
