#!/usr/bin/env bash
# Install the tools `make test-deploy` runs, each in its own virtual environment so their
# pins never constrain the project's: the SAM CLI (with aws-sam-translator) in .venv-sam,
# checkov in .venv-checkov. And .deploy-runtime: the boto3 that stands for Lambda's own in
# /var/runtime (the artefacts do not ship it), at the version the python3.12 runtime
# launched with, so the checks pass only with what every python3.12 Lambda has.
# Idempotent: what has its pinned version already is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
SAM_VERSION=1.170.0
CHECKOV_VERSION=3.3.30
LAMBDA_BOTO3_VERSION=1.34.0
py=$(bash infra/find_python.sh 3.12)

tool() {  # venv, distribution, version
  local venv=$1 dist=$2 version=$3
  if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$dist'))" 2>/dev/null)" = "$version" ]; then
    return
  fi
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$dist==$version"
}

tool .venv-sam aws-sam-cli "$SAM_VERSION"
tool .venv-checkov checkov "$CHECKOV_VERSION"
if [ ! -d ".deploy-runtime/boto3-$LAMBDA_BOTO3_VERSION.dist-info" ]; then
  rm -rf .deploy-runtime
  "$py" -m pip install -q --disable-pip-version-check --no-compile --target .deploy-runtime \
    --only-binary=:all: "boto3==$LAMBDA_BOTO3_VERSION"
  "$py" -m compileall -q .deploy-runtime >/dev/null
fi
echo "deploy tools: $(SAM_CLI_TELEMETRY=0 .venv-sam/bin/sam --version), checkov $(.venv-checkov/bin/checkov --version)"
