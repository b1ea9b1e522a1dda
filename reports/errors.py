"""The one error type the CLI turns into `reports: error: <file>: <what>`."""


class ReportError(Exception):
    """An input or output problem the user can fix; never a bug in here."""

    def __init__(self, where: str, what: str):
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what
