"""Build the web app (`frontend/`) for the gateway to serve, when it changed.

`npm ci` runs when `node_modules` is missing or older than `package-lock.json`;
`npm run build` when any input of the build differs from the last build's
(a hash of the sources, kept beside the build). `make run` calls this first.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from common.config import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"
DIST = FRONTEND / "dist"
STAMP = DIST / ".inputs-sha256"
INPUTS = (
    "src",
    "scripts",
    "public",
    "index.html",
    "graphiql.html",
    "package-lock.json",
    "vite.config.ts",
    "postcss.config.cjs",
    "tsconfig.json",
    "tsconfig.app.json",
)


def inputs_hash(root: Path = FRONTEND) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in files:
            if file.is_file() and not file.name.endswith(".test.tsx"):
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def needs_install(root: Path = FRONTEND) -> bool:
    marker = root / "node_modules" / ".package-lock.json"  # npm writes it last
    lock = root / "package-lock.json"
    return not marker.is_file() or marker.stat().st_mtime < lock.stat().st_mtime


def build(root: Path = FRONTEND) -> bool:
    """True when a build is there to serve (made now or up to date)."""
    npm = shutil.which("npm")
    if npm is None:
        print(
            "web app: npm not found; install Node.js 20 and npm to build it "
            "(the API runs without it)",
            file=sys.stderr,
        )
        return (root / "dist" / "index.html").is_file()
    wanted = inputs_hash(root)
    stamp = root / "dist" / STAMP.name
    if stamp.is_file() and stamp.read_text() == wanted:
        print("web app: up to date", flush=True)
        return True
    if needs_install(root):
        print("web app: npm ci", flush=True)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
    print("web app: building", flush=True)
    subprocess.run([npm, "run", "build"], cwd=root, check=True)
    stamp.write_text(wanted)
    return True


if __name__ == "__main__":
    sys.exit(0 if build() else 1)
