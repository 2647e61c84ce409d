"""Sphinx + MyST-NB configuration of the course website (built by ``make site``).

The pages are staged by ``mlmath.website`` (the chapters already run, from ``release/``),
so MyST-NB only renders them; MathJax is served from the site itself, so the site works
offline and from disk.
"""

project = "mlmath — the mathematics under deep learning"
author = "the mlmath course"

extensions = ["myst_nb", "sphinx-mathjax-offline"]
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"          # mlmath.website ran each chapter once, as a class copy would
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
# the chapters open with "### How to work" right under their title (H1): harmless, not worth a warning
suppress_warnings = ["myst.header"]

html_theme = "sphinx_book_theme"
html_title = "mlmath"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
}
html_last_updated_fmt = None
