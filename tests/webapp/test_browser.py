"""The web app in a real browser: Playwright's tests (`frontend/e2e/`) against
the whole platform as `make run` starts it (see conftest.py).

Playwright's own output is streamed as it runs. `E2E_ARGS` passes arguments to
`npx playwright test` (e.g. `E2E_ARGS=directory.spec.ts`); `SCREENSHOTS=1`
also refreshes docs/screenshots/.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
from collections import deque

import pytest

from common import config
from tests.webapp.conftest import ControlServer, WebPlatform

FRONTEND = config.REPO_ROOT / "frontend"
# Playwright's traces and screenshots of failures (playwright.config.ts).
RESULTS = FRONTEND / (os.environ.get("E2E_OUTPUT_DIR") or "test-results")
RUN_TIMEOUT = 45 * 60.0


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail(
            f"no Chromium at {path}: `apt-get install -y chromium` "
            "(or set CHROMIUM_PATH); Playwright cannot download its own here"
        )
    return path


def test_web_app_in_the_browser(
    web_platform: WebPlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    npx = shutil.which("npx")
    assert npx, "npx is not installed: the browser tests need Node.js 20 and npm"
    env = {
        **os.environ,
        "CHROMIUM_PATH": chromium(),
        "BASE_URL": web_platform.gateway_url,
        "FORCE_COLOR": "0",
    }
    tail: deque[str] = deque(maxlen=200)
    with ControlServer(web_platform) as control:
        env["CONTROL_URL"] = control.url
        argv = [npx, "playwright", "test", *shlex.split(os.environ.get("E2E_ARGS", ""))]
        with capsys.disabled():
            print(f"\n$ BASE_URL={web_platform.gateway_url} {shlex.join(argv[1:])}")
            proc = subprocess.Popen(
                argv,
                cwd=FRONTEND,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,  # its browser goes with it on a timeout
            )
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    print(line, end="", flush=True)
                    tail.append(line)
                code = proc.wait(timeout=RUN_TIMEOUT)
            except BaseException:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
    if code != 0:
        keep_logs(web_platform)
        raise AssertionError(
            f"`playwright test` exited {code} (traces and the platform's logs are "
            f"in {RESULTS}):\n{''.join(tail)}\n{web_platform.log_tails(lines=20)}"
        )


def keep_logs(platform: WebPlatform) -> None:
    """The platform's logs beside Playwright's traces, for after the run."""
    target = RESULTS / "platform-logs"
    shutil.copytree(platform.logs, target, dirs_exist_ok=True)
