"""Checks of a kustomize build's output that kubernetes-validate cannot make.

Usage: validate_manifests.py BUILT.yaml --builtins-out OUT.yaml
           [--crds DIR] [--pinned] [--restricted]

- Writes the built-in kinds (core and *.k8s.io groups) to OUT.yaml, for
  kubernetes-validate; the custom resources stay here.
- Validates every custom resource against the openAPIV3Schema of its CRD (the
  served version named by its apiVersion) from DIR, as the API server would
  with strict field validation: an unknown field is an error wherever the
  schema does not say `x-kubernetes-preserve-unknown-fields`, and a custom
  resource without a CRD in DIR is an error. CEL rules
  (`x-kubernetes-validations`) and `format` are not evaluated. Without DIR
  (or when it does not exist) that part is skipped, saying so.
- --pinned: every image (`image`, `imageName` fields, the operators' ones
  included) is pinned by a sha256 digest.
- --restricted: every pod template (Deployment, StatefulSet, DaemonSet, Job,
  CronJob) meets the restricted Pod Security Standard's securityContext
  rules, and every Namespace enforces it.

Exits 1 on any finding. Runs with the deploy tools' Python (PyYAML, jsonschema).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator

# libyaml's loader when PyYAML has it: the CRDs are 1.5 MB of YAML.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

# metadata as the API server accepts it in a manifest (ObjectMeta's writable
# fields); a CRD's schema says only `type: object` there.
STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
OBJECT_META = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
        "finalizers": {"type": "array", "items": {"type": "string"}},
        "ownerReferences": {"type": "array", "items": {"type": "object"}},
    },
}


def is_builtin(api_version: str) -> bool:
    """Core (`v1`), unqualified groups (`apps/v1`) and `*.k8s.io` groups."""
    group = api_version.rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io")


def strict(schema: Any, root: bool = False) -> Any:
    """An OpenAPI v3 structural schema as a strict JSON Schema (draft 4)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: strict(value)
        for key, value in schema.items()
        if key not in ("properties", "nullable", "description")
    }
    if "properties" in schema:
        out["properties"] = {k: strict(v) for k, v in schema["properties"].items()}
    if schema.get("x-kubernetes-int-or-string") and "type" not in schema:
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if schema.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props["metadata"] = OBJECT_META
    if root:
        out.setdefault("properties", {})["metadata"] = OBJECT_META
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (
        out.get("type") == "object"
        and "properties" in out
        and "additionalProperties" not in out
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def load_crds(folder: Path) -> dict[tuple[str, str], tuple[Draft4Validator, str]]:
    """(apiVersion, kind) -> (validator, where the schema comes from)."""
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        for crd in yaml.load_all(path.read_text(), Loader=Loader):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
            for version in crd["spec"]["versions"]:
                if not version.get("served", True):
                    continue
                schema = strict(version["schema"]["openAPIV3Schema"], root=True)
                Draft4Validator.check_schema(schema)
                found[(f"{group}/{version['name']}", kind)] = (
                    Draft4Validator(schema),
                    f"{path.name} {version['name']}",
                )
    return found


def images(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [
            value
            for key, value in node.items()
            if key in ("image", "imageName") and isinstance(value, str)
        ]
        for value in node.values():
            found += images(value)
        return found
    if isinstance(node, list):
        return [image for item in node for image in images(item)]
    return []


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    spec = doc.get("spec", {})
    if doc["kind"] == "CronJob":
        spec = spec.get("jobTemplate", {}).get("spec", {})
    return spec.get("template", {}).get("spec")


def restricted_findings(doc: dict[str, Any]) -> list[str]:
    """The restricted profile's securityContext rules, on one workload."""
    pod = pod_spec(doc)
    if pod is None:
        return ["no pod template"]
    found = []
    pod_ctx = pod.get("securityContext", {})
    if pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC"):
        found.append("uses a host namespace")
    for container in pod.get("initContainers", []) + pod.get("containers", []):
        ctx = container.get("securityContext", {})
        name = container["name"]
        if not ctx.get("runAsNonRoot", pod_ctx.get("runAsNonRoot")):
            found.append(f"{name}: runAsNonRoot is not true")
        if ctx.get("runAsUser", pod_ctx.get("runAsUser")) == 0:
            found.append(f"{name}: runs as uid 0")
        seccomp = ctx.get("seccompProfile", pod_ctx.get("seccompProfile", {}))
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: seccompProfile is not RuntimeDefault")
        if ctx.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation is not false")
        if ctx.get("privileged"):
            found.append(f"{name}: privileged")
        if "ALL" not in ctx.get("capabilities", {}).get("drop", []):
            found.append(f"{name}: capabilities do not drop ALL")
        if set(ctx.get("capabilities", {}).get("add", [])) - {"NET_BIND_SERVICE"}:
            found.append(f"{name}: adds capabilities")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("built", type=Path)
    parser.add_argument("--builtins-out", type=Path, required=True)
    parser.add_argument("--crds", type=Path)
    parser.add_argument("--pinned", action="store_true")
    parser.add_argument("--restricted", action="store_true")
    args = parser.parse_args()

    docs = [d for d in yaml.load_all(args.built.read_text(), Loader=Loader) if d]
    builtins = [d for d in docs if is_builtin(d["apiVersion"])]
    customs = [d for d in docs if not is_builtin(d["apiVersion"])]
    args.builtins_out.write_text(yaml.safe_dump_all(builtins, sort_keys=False))
    errors = 0

    def report(doc: dict[str, Any], problem: str) -> None:
        nonlocal errors
        errors += 1
        print(f"ERROR {doc['kind']}/{doc['metadata']['name']}: {problem}")

    if args.crds is None or not args.crds.is_dir():
        print(
            f"custom resources: SKIPPED, no CRD folder ({args.crds}): "
            f"{len(customs)} not validated"
        )
    else:
        crds = load_crds(args.crds)
        for doc in customs:
            key = (doc["apiVersion"], doc["kind"])
            if key not in crds:
                report(doc, f"no CRD for {key[1]} {key[0]} in {args.crds}")
                continue
            validator, source = crds[key]
            problems = sorted(validator.iter_errors(doc), key=lambda e: e.path)
            for problem in problems:
                where = "/".join(str(p) for p in problem.absolute_path) or "(root)"
                report(doc, f"{where}: {problem.message}")
            if not problems:
                print(f"  {doc['kind']}/{doc['metadata']['name']}: valid ({source})")
        print(f"custom resources: {len(customs)} checked against {args.crds}")

    if args.pinned:
        for doc in docs:
            for image in images(doc):
                if not DIGEST.search(image):
                    report(doc, f"image {image} is not pinned by a sha256 digest")
        print("images: checked for a sha256 digest each")

    if args.restricted:
        for doc in builtins:
            if doc["kind"] in POD_TEMPLATE_KINDS:
                for problem in restricted_findings(doc):
                    report(doc, f"restricted Pod Security Standard: {problem}")
            labels = doc["metadata"].get("labels", {})
            enforced = labels.get("pod-security.kubernetes.io/enforce")
            if doc["kind"] == "Namespace" and enforced != "restricted":
                report(doc, "does not enforce the restricted Pod Security Standard")
        print("pod security: restricted profile checked on every pod template")

    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
