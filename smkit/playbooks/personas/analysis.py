"""From the audience to the personas: pure, no store or file access."""

from __future__ import annotations

from smkit.params import Config

from .inputs import Inputs, load
from .models import PersonaModel
from .parameters import Settings
from .result import Result


def model(s: Settings) -> PersonaModel:
    """An unfitted :class:`PersonaModel` with the settings' method, k and columns."""
    return PersonaModel(
        method=s.method,
        k=s.k,
        k_range=(2, s.k_max),
        features=list(s.features) or None,
        id_column=s.id_column,
        seed=s.seed,
        bootstraps=s.bootstraps,
    )


def analyze(inputs: Inputs, s: Settings) -> Result:
    """Personas of the audience: k chosen (or fixed), users clustered, personas described."""
    return Result(model(s).fit(inputs.audience), inputs.audience)


def run(cfg: Config, s: Settings) -> Result:
    """Load the audience and make its personas."""
    return analyze(load(cfg, s), s)
