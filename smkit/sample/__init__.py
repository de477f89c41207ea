"""A sample data set worth analysing, with known truths planted in it.

The fictional brand Lumina (露米娜, smart lighting and its app) and two
competitors, Vexa (维克萨) and Orbi (奥比), publish on Chinese platforms and
LinkedIn for 365 days. Every canonical table is written as CSV, plus
``truth.json`` with what was planted, so each playbook can be tested for
finding a planted effect and for not finding one where none was planted.

Realism the analyses rely on: heavy-tailed (log-normal) reach, platform
differences in scale and reported metrics, hour-of-day and weekday effects,
content-type effects, a shared market factor that makes other platforms good
controls for a campaign, follower growth, audience segments that differ in
demographics, interests and behaviour, and Chinese and English text.

Same seed, same bytes: every random draw comes from one seeded generator in a
fixed order, and nothing depends on the clock.
"""

from smkit.sample.build import SAMPLE_TABLES, build_sample_store, ensure_default_store
from smkit.sample.generate import generate, write
from smkit.sample.people import _audience
from smkit.sample.world import *  # noqa: F403  (the planted truths tests compare against)

__all__ = ["SAMPLE_TABLES", "build_sample_store", "ensure_default_store", "generate", "write", "_audience"]
