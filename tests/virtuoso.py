"""A private Virtuoso for tests and benchmarks: its own temporary database, loopback only.

``running_virtuoso(folder)`` writes a virtuoso.ini for ``folder`` (free ports for the SQL
and HTTP servers, DirsAllowed limited to the folder), starts ``virtuoso-t`` in the
foreground, waits (bounded) until its SPARQL endpoint answers, gives the DBA account a
generated password, and on exit stops the server and deletes the folder. Reads go to the
anonymous ``/sparql`` endpoint (read-only); writes to ``/sparql-auth`` with HTTP Digest,
exactly as a production deployment would do it.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support import free_port

BINARY = "virtuoso-t"
ISQL = "isql-vt"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


def binary() -> str | None:
    return shutil.which(BINARY)


def _ini(folder: Path, sql_port: int, http_port: int, buffers: int, max_rows: int) -> str:
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = {folder}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {buffers * 3 // 4}
CheckpointInterval = 0
ThreadsPerQuery    = 2
; a build is swapped in by one transaction (MOVE of every graph): 1M triples need about 1 GB of log
; (the value must stay below 2^31)
TransactionAfterImageLimit = 1500000000

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}
ServerThreads        = 20
MaxClientConnections = 20
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 0
"""


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int
    password: str
    process: subprocess.Popen

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_url(self) -> str:
        """The authenticated update endpoint, with the DBA's credentials (Digest)."""
        return f"http://dba:{urllib.parse.quote(self.password)}@127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def spec(self) -> str:
        return "sparql:" + self.query_url

    def isql(self, sql: str, timeout: float = 60.0) -> str:
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.password, f"exec={sql}"],
            capture_output=True, text=True, timeout=timeout,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
        return done.stdout

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def running_virtuoso(folder: Path, buffers: int = 20_000, max_rows: int = 5_000_000):
    """A started Virtuoso in ``folder`` (created, then removed); ``buffers`` × 8 kB of page cache;
    answers cut at ``max_rows`` rows (Virtuoso's ResultSetMaxRows)."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(_ini(folder, sql_port, http_port, buffers, max_rows))
    process = subprocess.Popen(
        [BINARY, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    server = Virtuoso(folder, sql_port, http_port, "dba", process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(server.query_url):
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {process.returncode}: {server.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso-t did not answer within {START_TIMEOUT:g} s: {server.log()}")
            time.sleep(0.2)
        password = secrets.token_hex(12)
        server.isql(f"USER_SET_PASSWORD('dba', '{password}');")
        server.password = password
        yield server
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)
