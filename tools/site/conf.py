"""Sphinx configuration of the workshop's static site (``make site``; see tools/build_site.py).

Sphinx + MyST-NB + sphinx-book-theme, all from PyPI, building offline:

* the build script executes the lessons (through a jupyter-cache, with the discussion
  prompts in their static form) before Sphinx runs, so MyST-NB only renders: lessons
  with their outputs, exercises (student versions) as students receive them;
* no page loads anything from another host: widget views are not rendered (the
  prompts and explorers carry static HTML instead), the ipywidgets embedding
  scripts are switched off, and MathJax is served from the site itself
  (one file, ``tex-svg.js``, from the sphinx-mathjax-offline package on PyPI).
"""

from __future__ import annotations

import os
import shutil
from importlib import metadata
from pathlib import Path

from docutils import nodes
from docutils.transforms import Transform

project = "Synthetic Media Workshop"
author = "Synthetic Media Workshop contributors"
copyright = "Synthetic Media Workshop contributors, MIT licence"
html_title = "Synthetic Media Workshop"

extensions = ["myst_nb", "sphinx.ext.mathjax"]
exclude_patterns = ["_notebooks", "**/.ipynb_checkpoints", ".*"]
root_doc = "index"
language = "en"

# -- MyST and notebooks ----------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # tools/build_site.py has executed the lessons already
nb_merge_streams = True
# Nothing from a CDN: no ipywidgets embedding scripts, no widget views (their static HTML is shown instead).
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/javascript", None),
]

# -- MathJax, served locally -------------------------------------------------------------------------
mathjax_path = "mathjax/tex-svg.js"


def _mathjax_file() -> Path:
    dist = metadata.distribution("sphinx-mathjax-offline")
    return Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax/tex-svg.js"))


# -- HTML ------------------------------------------------------------------------------------------------
_repo = os.environ.get("WORKSHOP_SITE_REPOSITORY", "OWNER/synthetic-media-workshop")
_branch = os.environ.get("WORKSHOP_SITE_BRANCH", "main")
html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["workshop-site.css"]
html_js_files = [("resource-filters.js", {"defer": "defer"})]
html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "auto"}  # light or dark, as the reader's system prefers
html_copy_source = False
html_use_index = False  # no index entries: an empty "Index" page would only be a dead end
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": f"https://github.com/{_repo}",
    "repository_branch": _branch,
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}


def _copy_mathjax(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "mathjax"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_mathjax_file(), target / "tex-svg.js")


class OutputRules(Transform):
    """A ``---`` rule inside a notebook's Markdown output (e.g. a datasheet) is drawn as a rule.

    docutils allows a transition only between sections and warns about one inside
    an output; the page should simply show the line the output asked for.
    """

    default_priority = 829  # before docutils' own check of transitions (830)

    def apply(self) -> None:
        for node in list(self.document.findall(nodes.transition)):
            if not isinstance(node.parent, (nodes.document, nodes.section)):
                node.replace_self(nodes.raw("", "<hr>", format="html"))


def setup(app):
    """Copy the one MathJax file the pages use (the package ships all of MathJax: 23 MB); draw output rules."""
    if not _mathjax_file().is_file():
        raise RuntimeError("sphinx-mathjax-offline is not installed: pip install -e '.[site]'")
    app.connect("build-finished", _copy_mathjax)
    app.add_transform(OutputRules)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
