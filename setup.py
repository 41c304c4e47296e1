"""The extras of kubectl-ovn-lsp (the rest is setup.cfg). `sandbox` is the sandbox's own distribution in ./sandbox,
named by its absolute path (a direct reference must be absolute): `pip install '.[sandbox]'` from a checkout
installs the plugin and the sandbox, `pip install .` the plugin alone."""

from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent

setup(
    extras_require={
        "test": ["pytest>=7", "hypothesis>=6.80", "ruff>=0.6", "mypy>=1.10", "import-linter>=2.0", "types-PyYAML"],
        "sandbox": [f"kubectl-ovn-lsp-sandbox @ {(HERE / 'sandbox').as_uri()}"],
    }
)
