"""The one error type ingest raises for bad input: it names the file, the line
when there is one, and what is wrong, so the CLI can print it as it is."""
from __future__ import annotations


class IngestError(Exception):
    def __init__(self, path: str, message: str, line: int | None = None, page: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        self.page = page
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.page is not None:
            where += f", page {self.page}"
        if self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.message}"
