"""``python -m kinerja_analysis.data.schema`` prints the data dictionary section of data/README.md."""

from kinerja_analysis.data.schema.dictionary import data_dictionary

print(data_dictionary())
