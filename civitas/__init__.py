"""Civitas, a self-hosted participatory-democracy platform.

This package must stay importable without Django: framework-free modules such as
``python -m civitas.recount`` run with nothing but Python.
"""
