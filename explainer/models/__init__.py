"""Pure models behind the interactive panels.

Models take keyword arguments, validate them against the parameter records in ``data/``
and return plain data (DataFrames and frozen dataclasses). They never import widgets or charts.
"""
