"""One package per playbook, named as its notebook in ``notebooks/``.

Each exports ``Settings``/``settings``, ``Inputs``/``load``, ``analyze``,
``run``, ``Result`` (with ``to_summary()``) and ``report`` (presentation):
the contract the README's "Writing a playbook" describes.
"""
