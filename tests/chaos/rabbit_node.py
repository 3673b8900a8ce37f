"""A RabbitMQ node of the chaos suite's own, which the tests stop and start.

The machine's node (and the development platform on it) is never touched:
this one has its own node name, AMQP and distribution ports, config file
(the machine's /etc/rabbitmq/rabbitmq.conf pins port 5672), Erlang cookie,
data and log folders, all in a temporary folder removed afterwards. It runs
as the current user through RabbitMQ's own scripts, not the distribution's
wrappers in /usr/sbin (which switch to the `rabbitmq` user and its home).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from tests.support.platform import free_port

# Where the scripts are: Debian and Ubuntu, or next to `rabbitmq-server`.
SCRIPT_FOLDERS = ("/usr/lib/rabbitmq/bin",)


def script(name: str) -> str:
    for folder in (os.environ.get("CHAOS_RABBITMQ_BIN", ""), *SCRIPT_FOLDERS):
        path = Path(folder) / name
        if folder and path.exists():
            return str(path)
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if found is None:
        raise RuntimeError(
            f"{name} not found: install rabbitmq-server, or set CHAOS_RABBITMQ_BIN "
            "to the folder of RabbitMQ's own scripts"
        )
    return found


class RabbitNode:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.name = f"chaos-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        config = workdir / "rabbitmq.conf"
        config.write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n")
        plugins = workdir / "enabled_plugins"
        plugins.write_text("[].\n")
        no_env_file = workdir / "rabbitmq-env.conf"  # not /etc/rabbitmq's
        no_env_file.write_text("")
        self.env = {
            **os.environ,
            "HOME": str(workdir),  # its own Erlang cookie, for it and rabbitmqctl
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_CONF_ENV_FILE": str(no_env_file),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(plugins),
            "RABBITMQ_MNESIA_BASE": str(workdir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(workdir / "log"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": (
                "-kernel inet_dist_use_interface {127,0,0,1}"
            ),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    @property
    def amqp_uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [script("rabbitmqctl"), "-q", "-n", self.name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, timeout: float = 150) -> float:
        """Start the node and wait until it takes connections; seconds taken."""
        started = time.monotonic()
        subprocess.run(
            [script("rabbitmq-server"), "-detached"],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=30,
        )
        deadline = started + timeout
        # `await_startup` fails at once while the node is not registered yet.
        while not self._started():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.log_tail()}")
            time.sleep(0.5)
        while not self.listening():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} is not listening:\n{self.log_tail()}")
            time.sleep(0.1)
        return time.monotonic() - started

    def _started(self) -> bool:
        try:
            return (
                self.ctl("await_startup", "--timeout", "10", timeout=30).returncode == 0
            )
        except subprocess.TimeoutExpired:  # the CLI is slow on a busy machine
            return False

    def stop(self) -> float:
        """Stop the node (returns once it is down); seconds taken."""
        started = time.monotonic()
        done = self.ctl("stop")
        if done.returncode:
            raise RuntimeError(f"could not stop {self.name}: {done.stderr}")
        return time.monotonic() - started

    def listening(self) -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def shutdown(self) -> None:
        if self.listening() or self.ctl("ping", timeout=30).returncode == 0:
            self.ctl("stop")
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        logs = sorted((self.workdir / "log").glob("*.log"))
        text = "\n".join(p.read_text(errors="replace") for p in logs)
        return "\n".join(text.splitlines()[-lines:])
