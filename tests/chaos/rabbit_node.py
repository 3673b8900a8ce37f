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
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
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
    """`home` holds the Erlang cookie: the node's own folder unless several
    nodes (a cluster) share one, with its cookie written there first."""

    def __init__(
        self, workdir: Path, name: str | None = None, home: Path | None = None
    ) -> None:
        self.workdir = workdir
        self.name = name or f"chaos-{uuid.uuid4().hex[:8]}@localhost"
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
            "HOME": str(home or workdir),  # the Erlang cookie, for it and the CLI
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
        self.wait_started(started + timeout)
        return time.monotonic() - started

    def wait_started(self, deadline: float) -> None:
        # The port first: a socket is cheap, each CLI call starts an Erlang
        # VM (seconds of CPU on a busy machine, three nodes booting at once).
        while not self.listening():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} is not listening:\n{self.log_tail()}")
            time.sleep(0.2)
        # `await_startup` fails at once while the node is not registered yet.
        while not self._started():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.log_tail()}")
            time.sleep(0.5)

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

    def kill(self) -> None:
        """SIGKILL the node's Erlang VM: no goodbye to clients or peers."""
        found = self.ctl("eval", "os:getpid().")
        if found.returncode:
            raise RuntimeError(f"no pid for {self.name}: {found.stderr}")
        os.kill(int(found.stdout.strip().strip('"')), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while self.listening():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} still listening after SIGKILL")
            time.sleep(0.1)

    def connection_names(self) -> str:
        """The names clients gave their connections to this node (as the CLI
        prints their client properties)."""
        done = self.ctl("list_connections", "client_properties")
        if done.returncode:
            raise RuntimeError(f"{self.name}: {done.stderr}")
        return done.stdout

    def queues(self, *items: str) -> list[list[str]]:
        """`list_queues` of the default vhost: one row of `items` per queue."""
        done = self.ctl("list_queues", "--no-table-headers", *items)
        if done.returncode:
            raise RuntimeError(f"{self.name}: {done.stderr}")
        return [line.split("\t") for line in done.stdout.splitlines() if line]

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


class RabbitCluster:
    """Nodes of their own joined into one cluster (node 0 the first), with
    one Erlang cookie (written in their shared home) and every other setting
    of their own, as `RabbitNode`; started in parallel."""

    def __init__(self, workdir: Path, size: int = 3) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        cookie = workdir / ".erlang.cookie"
        cookie.write_text(uuid.uuid4().hex.upper())
        cookie.chmod(0o400)  # Erlang refuses a cookie others can read
        tag = uuid.uuid4().hex[:6]
        self.nodes = [
            RabbitNode(
                workdir / f"c{n}", name=f"rabbit-{tag}-c{n}@localhost", home=workdir
            )
            for n in range(1, size + 1)
        ]

    @property
    def amqp_uri(self) -> str:
        """Every node's address, as AMQP_URI takes them (node 0 first)."""
        return self.uri_from(0)

    def uri_from(self, first: int) -> str:
        """Every node's address, node `first` first (where clients connect)."""
        order = self.nodes[first:] + self.nodes[:first]
        return ";".join(node.amqp_uri for node in order)

    def start(self, timeout: float = 180) -> float:
        """Start every node at once, then join them; seconds taken."""
        started = time.monotonic()
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            for future in [pool.submit(node.start, timeout) for node in self.nodes]:
                future.result()
        first, *others = self.nodes
        for node in others:
            for step in (("stop_app",), ("join_cluster", first.name), ("start_app",)):
                done = node.ctl(*step, timeout=120)
                if done.returncode:
                    raise RuntimeError(f"{node.name} {step[0]}: {done.stderr}")
            node.wait_started(started + timeout)
        running = self.running_nodes()
        if running != {node.name for node in self.nodes}:
            raise RuntimeError(f"cluster not formed: running {sorted(running)}")
        return time.monotonic() - started

    def running_nodes(self, via: RabbitNode | None = None) -> set[str]:
        """The nodes running in the cluster, as `via` (a running node) sees it."""
        via = via or next(node for node in self.nodes if node.listening())
        done = via.ctl("eval", "rabbit_nodes:all_running().")
        if done.returncode:
            raise RuntimeError(f"{via.name}: {done.stderr}")
        return set(re.findall(r"'([^']+)'", done.stdout))

    def shutdown(self) -> None:
        """Stop every node (at once) and delete their folders, whatever state
        they are in."""
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            list(pool.map(RabbitNode.shutdown, self.nodes))
        shutil.rmtree(self.workdir, ignore_errors=True)
