"""The run layer: the ``smkit`` command, papermill runs into dated report
folders (runner), the playbooks on disk and their parameters (catalog), the
reader's HTML and the reports index (report_html) and the words of all of
these in Chinese and English (messages). It imports no analysis; of each
playbook it knows only its name and the headline figure the index reads
from its ``summary.json``.
"""

import sys

# nbformat validates notebooks with jsonschema, whose format checkers import
# rfc3987_syntax when it is installed (it comes with JupyterLab); that module
# compiles about 35 Earley parsers at import, 2 to 7 seconds in every process
# that runs or renders a notebook (python-jsonschema/jsonschema#1428). No
# notebook schema checks the "iri" formats it serves, and jsonschema skips a
# checker whose module cannot be imported, so the run layer declines it.
sys.modules.setdefault("rfc3987_syntax", None)
