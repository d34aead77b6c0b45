"""docs/notebooks/compare_policies.ipynb runs from top to bottom (small size: 6 dinners, 1 seed)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).parents[2] / "docs" / "notebooks" / "compare_policies.ipynb"


def test_compare_policies_notebook_runs(monkeypatch):
    monkeypatch.setenv("SEATING_NOTEBOOK_SMALL", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails

    text = "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert "6 dinners simulated" in text
    for preset in ("rotate", "deepen", "deepen-to-5", "circles", "random"):
        assert preset in text
    assert "rotate reaches" in text and "strong ties of random seating" in text
    assert notebook.cells[-1].cell_type == "markdown"
    assert "trade-off" in notebook.cells[-1].source
