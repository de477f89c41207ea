"""The data layer: platform exports in, canonical tables in the DuckDB store out.

schema (tables, columns, kinds, keys) -> readers (CSV/XLSX/Parquet as exported)
-> aliases (headers to columns) -> parsing (values as exported) -> ingest
(validate, quarantine, upsert in one transaction) -> store (connect, load).
Nothing here knows of any analysis.
"""
