"""Running notebooks in a real kernel, as a learner's JupyterLab would."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELL_SECONDS = 30


def execute(notebook: dict, folder: Path, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel whose working folder is ``folder``."""
    node = nbformat.from_dict(notebook)
    client = NotebookClient(node, timeout=CELL_SECONDS, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    return node


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def errors(cell) -> list[dict]:
    return [o for o in cell.get("outputs", []) if o["output_type"] == "error"]


def text_of(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        parts.append(output.get("text", "") or data.get("text/plain", "") or "")
        parts.append("\n".join(output.get("traceback", [])))
    return "\n".join(parts)
