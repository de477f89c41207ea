"""The run layer: the ``smkit`` command, papermill runs into dated report
folders (runner), the playbooks on disk and their parameters (catalog), the
reader's HTML and the reports index (report_html) and the words of all of
these in Chinese and English (messages). It imports no analysis; of each
playbook it knows only its name and the headline figure the index reads
from its ``summary.json``.
"""
