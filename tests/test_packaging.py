"""The project's own habits: dependency lists in step, the data model documented, a wheel that works."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
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


def test_every_package_is_listed_for_the_wheel():
    """setuptools builds the wheel from an explicit list (the notebooks and
    reference tables are mapped into it); a new subpackage must join it."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "smkit").rglob("__init__.py")}
    assert on_disk <= listed, on_disk - listed
    assert listed - on_disk == {"smkit.notebooks", "smkit.reference"}


@pytest.mark.slow
def test_a_wheel_install_runs_from_any_directory(tmp_path, sample_store):
    """Built as a wheel and imported from outside the checkout, smkit finds its
    notebooks and reference tables in the package and keeps a team's reports in
    the directory it is run from."""
    wheels, target, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "team"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "-w", str(wheels)], check=True, capture_output=True)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), *map(str, wheels.glob("*.whl"))], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMKIT_")} | {"PYTHONPATH": str(target), "MPLBACKEND": "Agg"}

    def smkit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "smkit.run.cli", *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    where = subprocess.run(
        [sys.executable, "-c", "import smkit.paths as p; print(p.notebooks_dir()); print(p.reference_dir()); print(p.workspace())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [Path(w) for w in where] == [target / "smkit" / "notebooks", target / "smkit" / "reference", work]
    listed = smkit("list")
    assert listed.returncode == 0 and "market_analysis" in listed.stdout, listed.stderr
    ran = smkit("run", "data_overview", "--store", str(sample_store), "--date", "2026-12-01", "--quiet")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (work / "reports" / "2026-12-01" / "data_overview" / "report.html").is_file()
