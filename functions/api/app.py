"""API function: API Gateway (HTTP API) -> the Flask app, through apig-wsgi.

The app is built once per cold start from the environment's settings; AWS clients are
created on the first request that needs them.
"""

from __future__ import annotations

from apig_wsgi import make_lambda_handler

from factcheck.api import create_app

app = create_app()
lambda_handler = make_lambda_handler(app, binary_support=True)
