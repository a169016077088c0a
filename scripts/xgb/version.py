"""Prints the installed python xgboost version (fails if xgboost or numpy cannot be imported)."""
import numpy  # noqa: F401
import xgboost

print(xgboost.__version__)
