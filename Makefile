# The course in two commands:
#   make course   set up .venv, generate release/, grade the bundled example class with
#                 mlmath autograde, print the score table, write the class report and
#                 the feedback HTML
#   make test     set up .venv and run the whole test suite
#
# Everything the project needs is installed here; nothing by hand.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
# nbgrader shells out to `alembic`: the venv's bin must come first on PATH
export PATH := $(CURDIR)/$(BIN):$(PATH)
# a broken nbgrader_config.py must stop nbgrader, never be skipped
export TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR := 1
# nbgrader's own SQLAlchemy warnings drown the score table; they are harmless
export PYTHONWARNINGS := ignore:::nbgrader.api
ASSIGNMENTS := $(notdir $(wildcard source/ch*))
EXAMPLE_STUDENTS := complete blank mistakes
# where tests/postgres_server.py looks for PostgreSQL: Debian keeps initdb off PATH
HAVE_INITDB := { ls /usr/lib/postgresql/*/bin/initdb || command -v initdb; } >/dev/null 2>&1

.PHONY: course setup sandbox browser postgres release example-class autograde feedback site test clean

course: setup release example-class autograde feedback

setup: $(VENV)/.installed sandbox

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,site]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (mlmath)"
	touch $@

# bubblewrap isolates learner code; without it grading still works, with a warning.
sandbox:
	@command -v bwrap >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -qq bubblewrap >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap >/dev/null)); } || \
	  echo "WARNING: bubblewrap is not installed; learner code will run with resource limits only."

# Debian's chromium and chromedriver drive the JupyterLab test as a learner would.
browser:
	@command -v chromedriver >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null)); } || \
	  echo "WARNING: chromium/chromedriver are not installed; the browser test will be skipped."

# Debian's PostgreSQL server: the gradebook tests start their own private one from its binaries,
# on a free port, so a system cluster the package may create is never used.
postgres:
	@$(HAVE_INITDB) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)); } || \
	  echo "WARNING: PostgreSQL is not installed; the PostgreSQL gradebook tests will be skipped."

release: setup
	for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_assignment $$a --force --log-level=WARN || exit 1; done

example-class: setup
	$(BIN)/python -m mlmath.cli.main example-class $(ASSIGNMENTS)

autograde: setup
	for a in $(ASSIGNMENTS); do \
	  $(BIN)/mlmath autograde $$a --force || exit 1; \
	  $(BIN)/mlmath scores $$a || exit 1; \
	  $(BIN)/mlmath report $$a || exit 1; done

feedback: setup
	for a in $(ASSIGNMENTS); do $(BIN)/nbgrader generate_feedback $$a --force --log-level=WARN || exit 1; done
	$(BIN)/nbgrader export --log-level=WARN
	@echo "Feedback written under feedback/; grades exported to grades.csv"

# The course as a website (Sphinx + MyST-NB), from the release notebooks: site/_build/html/index.html
site: setup
	$(BIN)/python -m mlmath.website

# The suite runs in two processes, a test file each at a time (its module fixtures stay together);
# it skips the sandbox-only, browser and PostgreSQL tests when their tools are missing;
# `make test` refuses to let that pass unnoticed unless ALLOW_MISSING_TOOLS=1.
test: setup browser postgres
	@[ "$(ALLOW_MISSING_TOOLS)" = 1 ] || \
	  { command -v bwrap >/dev/null && command -v chromedriver >/dev/null && $(HAVE_INITDB); } || \
	  { echo "bwrap, chromedriver or PostgreSQL's initdb is missing: install bubblewrap, chromium," \
	         "chromium-driver and postgresql, or run with ALLOW_MISSING_TOOLS=1 to skip the tests" \
	         "that need them"; exit 1; }
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

clean:
	rm -rf autograded submitted feedback gradebook.db grades.csv
