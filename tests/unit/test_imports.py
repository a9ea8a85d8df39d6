"""Every module of the package imports in the environment the Makefile builds from pyproject.toml alone.

A dependency used but not declared (numpy, aiohttp ...) fails here, in a fresh venv, rather
than on a user's machine where it happened to be installed.
"""

import importlib
import pkgutil

import pytest

PACKAGES = ("schemas", "streams", "tollstream")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        names += [info.name for info in pkgutil.walk_packages(module.__path__, f"{package}.")]
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_module_imports_with_declared_dependencies(name: str) -> None:
    importlib.import_module(name)
