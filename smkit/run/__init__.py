"""The run layer: the ``smkit`` command, papermill runs into dated report
folders (runner), the playbooks on disk and their parameters (catalog), and
the reader's HTML and the reports index (report_html). It knows nothing of
any one analysis.
"""
