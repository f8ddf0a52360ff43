"""Citizen panels drawn by lot: quotas, LEXIMIN lotteries and a draw anyone can verify.

Framework-free: nothing here imports Django. ``draw`` and ``__main__`` need only the
standard library so that anyone can re-run ``python -m civitas.sortition verify``.
"""
