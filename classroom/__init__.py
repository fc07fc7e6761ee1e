"""Classroom tooling: static handouts and slide decks built from the notebooks (see build.py)."""
