"""The packages of pcs-graph, found by setuptools' package discovery (everything else is in pyproject.toml).

    pip install .        # pcs_graph/, with api/ and ingest/ installed as pcs_graph.api and pcs_graph.ingest

api/ and ingest/ stay at the top of the repository (the design's folders) but are installed under the
pcs_graph name, which `[tool.setuptools.packages.find]` cannot express (it names packages after their
folders). Data folders (templates, static, queries, search data, migrations...) are namespace packages,
so a new folder is found with no list to update; pyproject.toml's package-data says which files ship.
"""

from setuptools import find_namespace_packages, setup

SKIP = ["*__pycache__*"]
# the folder installed under another name (pyproject.toml's package-dir says the same)
RENAMED = {"api": "pcs_graph.api", "ingest": "pcs_graph.ingest"}

packages = find_namespace_packages(include=["pcs_graph", "pcs_graph.*"], exclude=SKIP)
for folder, name in RENAMED.items():
    found = find_namespace_packages(include=[folder, f"{folder}.*"], exclude=SKIP)
    packages += [name + package[len(folder):] for package in found]

setup(packages=packages)
