# factcheck: the front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test test-reliability test-unit lint format openapi bench model deploy deploy-tools test-deploy clean

help: ## list the targets
	@grep -E '^[a-zA-Z_%-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP) ## create .venv and install the package with its dev extras

PORT ?= 8000
run: $(STAMP) ## set up, start the local stack (no Docker, no AWS), ingest seeds/, print URLs and tokens
	$(BIN)/python infra/local_stack.py --port $(PORT)

test: $(STAMP) ## set up, then run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

test-reliability: $(STAMP) ## load, faults and bad input against the real stack (minutes)
	$(BIN)/pytest -m reliability tests/reliability $(PYTEST_ARGS)

test-unit: $(STAMP) ## only the fast in-process tests
	$(BIN)/pytest -m unit $(PYTEST_ARGS)

# ESLint for the review page's ES modules, pinned in package-lock.json (npm ci).
NPM_STAMP := node_modules/.installed
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

lint: $(STAMP) $(NPM_STAMP) ## ruff, mypy, import-linter layers, cfn-lint, ESLint on the page
	$(BIN)/ruff check src tests functions infra
	$(BIN)/ruff format --check src tests functions infra
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache --no-logo .importlinter
	$(BIN)/cfn-lint template.yaml
	node_modules/.bin/eslint --max-warnings=0 src/factcheck/web/static tests/unit/web eslint.config.js

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests functions infra
	$(BIN)/ruff format src tests functions infra

openapi: $(STAMP) ## write docs/openapi.json from the API's schemas (CI fails on drift)
	$(BIN)/factcheck openapi --out docs/openapi.json

bench: $(STAMP) ## run the benchmarks, JSON reports in bench/results/
	$(BIN)/python -m factcheck.bench

model: ## fine-tune the check-worthiness model (needs the train extra; GPU optional)
	@test -x .venv-train/bin/python || $(PYTHON) -m venv .venv-train
	.venv-train/bin/python -m pip install -q -e '.[train]'
	.venv-train/bin/python -m factcheck.training.train --out src/factcheck/extraction/model \
		--train ../shared/eval/checkworthy_train.jsonl --dev ../shared/eval/checkworthy_dev.jsonl
	@# the score's calibration and the selection threshold belong to the model: refit them on
	@# the news dev pages (every other page; the rest held out), progress per page
	$(BIN)/python -m factcheck.training.calibrate --pages ../shared/eval/news/pages \
		--labels ../shared/eval/news/news_dev.jsonl

deploy-tools: ## the SAM CLI (.venv-sam) and checkov (.venv-checkov), each in its own venv
	bash infra/deploy_tools.sh

deploy: deploy-tools ## build and deploy to AWS with SAM (needs AWS credentials; README)
	.venv-sam/bin/sam build && .venv-sam/bin/sam deploy --guided

# The deployment proven without an AWS account (tests/deploy): sam validate --lint, cfn-lint
# on the template and its translation, checkov, `sam build`, each artefact on python3.12
# with nothing else, and the workflow through the built handlers on a moto server.
test-deploy: $(STAMP) deploy-tools ## prove the AWS deployment with SAM's own tools, no account
	FACTCHECK_TEST_DEPLOY=1 $(BIN)/pytest tests/deploy $(PYTEST_ARGS)

# SAM BuildMethod: makefile. `sam build` calls build-<LogicalId> with ARTIFACTS_DIR set:
# the package with only the extra its handler needs (see pyproject.toml) goes beside the
# thin handler, so each artefact stays under Lambda's 250 MB. Whatever Python runs `make`,
# pip installs wheels for the template's runtime and platform (LAMBDA_PYTHON, x86_64
# manylinux, binary only: a cpython-311 extension would not import under python3.12), and
# the bytecode is compiled by a LAMBDA_PYTHON interpreter (Lambda's /var/task is read-only:
# without .pyc every cold start compiles in memory). tests/unit/test_template_build.py
# keeps LAMBDA_PYTHON equal to the template's Runtime.
LAMBDA_PYTHON := 3.12
LAMBDA_PIP_ARGS := --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 \
	--implementation cp --python-version $(LAMBDA_PYTHON) --only-binary=:all:
BUILD_PYTHON ?= $(shell bash infra/find_python.sh $(LAMBDA_PYTHON) 2>/dev/null || command -v python3)
BUILD_PIP_ARGS ?= $(LAMBDA_PIP_ARGS)
# the check-worthiness model (23 MB) ships only where it is loaded
MODEL_DIR := factcheck/extraction/model
# in Lambda's python3.12 runtime already (/var/runtime, after the artefact on sys.path)
RUNTIME_PROVIDED := boto3 botocore s3transfer jmespath
# tokenizers requires the Hub client for downloads only; the scorer reads its own files
EXTRACT_UNUSED := huggingface_hub hf_xet httpx2 httpcore2 anyio h11 fsspec filelock
build-ApiFunction: BUILD_EXTRAS := [api]
build-ExtractFunction: BUILD_EXTRAS := [extract]
build-StoreFunction build-SweeperFunction build-DeliverWebhooksFunction: BUILD_EXTRAS :=
# onnxruntime's model-optimisation and quantisation tooling (10 MB): offline tools only
build-ExtractFunction: PRUNE := onnxruntime/transformers onnxruntime/quantization onnxruntime/tools
build-ApiFunction build-StoreFunction build-SweeperFunction build-DeliverWebhooksFunction: PRUNE := $(MODEL_DIR)
build-ExtractFunction: PRUNE_DISTS := $(RUNTIME_PROVIDED) $(EXTRACT_UNUSED)
build-ApiFunction build-StoreFunction build-SweeperFunction build-DeliverWebhooksFunction: PRUNE_DISTS := $(RUNTIME_PROVIDED)
build-ApiFunction build-ExtractFunction build-StoreFunction build-SweeperFunction build-DeliverWebhooksFunction:
	set -e; w=$$(mktemp -d); trap 'rm -rf "$$w"' EXIT; \
	$(BUILD_PYTHON) -m pip wheel --quiet --no-deps -w "$$w" . ; \
	whl=$$(ls "$$w"/factcheck-*.whl); \
	$(BUILD_PYTHON) -m pip install --quiet --no-compile --target "$(ARTIFACTS_DIR)" $(BUILD_PIP_ARGS) "$$whl$(BUILD_EXTRAS)"
	rm -rf "$(ARTIFACTS_DIR)/bin" $(addprefix "$(ARTIFACTS_DIR)/",$(PRUNE))
	$(BUILD_PYTHON) infra/prune_artifact.py "$(ARTIFACTS_DIR)" $(PRUNE_DISTS)
	# test suites of the installed packages (numpy's alone is 8 MB) are never imported
	find "$(ARTIFACTS_DIR)" -mindepth 2 -type d -name tests -not -path "*/factcheck/*" -prune -exec rm -rf {} +
	mkdir -p "$(ARTIFACTS_DIR)/functions"
	cp -r functions/. "$(ARTIFACTS_DIR)/functions/"
	find "$(ARTIFACTS_DIR)" -name __pycache__ -type d -prune -exec rm -rf {} +
	@if $(BUILD_PYTHON) -c 'import sys; sys.exit(f"{sys.version_info[0]}.{sys.version_info[1]}" != "$(LAMBDA_PYTHON)")'; then \
		$(BUILD_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)" >/dev/null; \
	else echo "warning: no python$(LAMBDA_PYTHON) found: $@ ships without bytecode (slower cold starts)" >&2; fi

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
