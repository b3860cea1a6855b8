"""The API reference's generated code samples (``x-codeSamples``: apps/core/openapi_samples.py) name what the
generated SDKs really have: every Python sample parses, its imports resolve in sdks/python and its call passes
only parameters the operation's function takes."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
import yaml

from apps.core.openapi_samples import snake

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def operations():
    schema = yaml.safe_load(SCHEMA.read_text())
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield pytest.param(path, method, operation, id=operation["operationId"])


class TestCodeSamples:
    @pytest.mark.parametrize(("path", "method", "operation"), list(operations()))
    def test_every_operation_has_curl_python_and_typescript_samples_that_match_the_sdks(
        self, causeway_sdk, path, method, operation
    ):
        samples = {sample["label"]: sample["source"] for sample in operation["x-codeSamples"]}
        assert set(samples) == {"curl", "Python SDK", "TypeScript SDK"}
        assert f"curl -X {method.upper()} " in samples["curl"] and path in samples["curl"]
        assert f'causeway.{method.upper()}("{path}"' in samples["TypeScript SDK"]

        tree = ast.parse(samples["Python SDK"])
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}"), (
                        f"{node.module}.{alias.name}"
                    )
        (call,) = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "sync"
        ]
        function = importlib.import_module(f"causeway_sdk.api.{snake(operation['tags'][0])}.{operation['operationId']}")
        accepted = set(inspect.signature(function.sync).parameters)
        assert {keyword.arg for keyword in call.keywords} <= accepted
