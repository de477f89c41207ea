"""User personas (用户画像) from the audience's attributes and behaviour.

Backs ``notebooks/personas.ipynb``: which groups of users the audience holds
(if any), what defines each, and which persona every user belongs to, for
customised content and ad targeting.

Honest model selection: k is chosen by the gap statistic against the same
audience with every column shuffled on its own, so an audience without
structure gets k = 1 and the report says there are no clear personas
(:mod:`.selection`). Traits are differences from the whole audience that are
significant after Holm adjustment (:mod:`.traits`). :class:`PersonaModel`
has scikit-learn's ``fit``/``predict``/``transform``; ``save`` and
:func:`load_model` keep it for scoring new users.

``run(cfg, settings(...))`` is the one entry point; :mod:`.report` shows the result.
"""

from . import report
from .analysis import analyze, run
from .inputs import Inputs, load
from .models import METHODS, KPrototypes, PersonaModel, load_model
from .needs import NEEDS
from .parameters import Settings, settings
from .preparation import Preparation
from .result import Result, save_outputs
from .traits import Persona

# PersonaModel, Preparation, KPrototypes and Persona stay importable from the
# package itself, where models saved by the single-module playbook look for them.
__all__ = [
    "NEEDS",
    "METHODS", "Inputs", "KPrototypes", "Persona", "PersonaModel", "Preparation", "Result", "Settings",
    "analyze", "load", "load_model", "report", "run", "save_outputs", "settings",
]  # fmt: skip
