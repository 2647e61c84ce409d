"""nbgrader's configuration: it only loads the course configuration (course_config.py).

If that fails, nbgrader must stop: left to itself it would log the error, ignore
this file and autograde with its default Execute step, running learner code in a
kernel and trusting what it prints.  SystemExit is not swallowed by the loader.
"""

import os
import sys

try:
    from mlmath.nbgrader_bridge.config import configure

    configure(c, course_root=os.path.dirname(os.path.abspath(__file__)))  # noqa: F821 (c is nbgrader's)
except Exception as error:  # noqa: BLE001 - anything here must stop nbgrader
    sys.stderr.write(f"nbgrader_config.py: cannot load the course configuration: {error!r}\n"
                     "Is the mlmath package installed in this environment (make setup)?\n")
    raise SystemExit(1)
