"""Translate template.yaml with aws-sam-translator (what CloudFormation's transform does).

    .venv-sam/bin/python tests/deploy/translate.py template.yaml OUT.json

Local CodeUris are replaced by an S3 location first, as `sam package` does before
CloudFormation sees the template. Runs in the SAM CLI's environment, not the project's.
"""

import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no AWS managed policy, so the loader never needs IAM."""

    def load(self):
        return {}


# the translator takes the region for ARNs from boto3's configuration
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
with open(sys.argv[1], encoding="utf-8") as f:
    template = yaml_parse(f.read())
for resource in template["Resources"].values():
    if resource["Type"] == "AWS::Serverless::Function":
        resource["Properties"]["CodeUri"] = "s3://deploy-check-bucket/artefact.zip"
translated = transform(template, {}, NoManagedPolicies())
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(translated, f, indent=1, default=str)
