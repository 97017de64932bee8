"""Packaging beyond pyproject.toml: the repository's top-level ontology/ and queries/ ship *inside*
the kg package (as kg/ontology and kg/queries, read through importlib.resources by kg/resources.py).

The repository keeps one copy of each file where people look for it; setuptools maps the folders
into the wheel and the sdist, so nothing can drift. Every other package is still discovered.
"""

from setuptools import find_namespace_packages, setup

MAPPED = {"kg.ontology": "ontology", "kg.queries": "queries"}

setup(
    packages=find_namespace_packages(include=["kg", "kg.*", "webapp", "webapp.*"],
                                     exclude=["*.__pycache__"]) + sorted(MAPPED),
    package_dir=MAPPED,
)
