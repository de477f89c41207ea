"""The project's own habits: dependency lists in step, the data model documented."""

import re
import tomllib
from pathlib import Path

import yaml

from smkit.data.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"python-duckdb": "duckdb"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(d) for d in dep["pip"] if not d.startswith("-e")}
        else:
            listed.add(CONDA_NAMES.get(_name(dep), _name(dep)))
    listed -= {"python", "pip"}
    assert listed == wanted, {"only in environment.yml": listed - wanted, "only in pyproject.toml": wanted - listed}


def test_data_model_doc_names_every_column():
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"`{table.name}`" in doc, table.name
        for column in table.columns:
            assert f"`{column}`" in doc, (table.name, column)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme
