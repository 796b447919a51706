"""How results reach people: the reports (papermill and nbconvert, PDF with Chromium), the executive
summary and its sentences, the ipywidgets panels of notebook 07, and the ``kinerja`` command.

Import the module you need (``from kinerja_analysis.delivery import summary``): nothing is imported
here, so that loading the command line does not load ipywidgets and loading the widgets does not load
papermill.
"""
