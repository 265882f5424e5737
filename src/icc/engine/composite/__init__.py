"""A general composite-indicator toolkit (the JRC/COINr methods; user guide: ``docs/composite.md``), pure numpy/pandas.

>>> from icc.engine.composite import build, STEPS
>>> list(STEPS)
['denominate', 'impute', 'screen', 'treat', 'normalise', 'weights', 'aggregate']
"""

from .aggregate import AGGREGATORS, aggregate_all, rank_desc
from .denominate import DENOMINATORS
from .impute import IMPUTERS
from .meta import Hierarchy, read_data, read_meta
from .normalise import NORMALISERS
from .pipeline import DATA_STEPS, STEPS, Result, Spec, build, run_data_steps, stage_tables
from .registry import Registry, SpecError
from .screen import SCREENS
from .treat import TREATMENTS, kurtosis, log_ct, skewness, winsorise
from .weights import WEIGHTINGS

__all__ = [
    "AGGREGATORS",
    "DATA_STEPS",
    "DENOMINATORS",
    "Hierarchy",
    "IMPUTERS",
    "NORMALISERS",
    "Registry",
    "Result",
    "SCREENS",
    "STEPS",
    "Spec",
    "SpecError",
    "TREATMENTS",
    "WEIGHTINGS",
    "aggregate_all",
    "build",
    "kurtosis",
    "log_ct",
    "rank_desc",
    "read_data",
    "read_meta",
    "run_data_steps",
    "skewness",
    "stage_tables",
    "winsorise",
]
