"""Errors the command line and the web app turn into one clear message."""


class KGError(Exception):
    """A failure the user can act on; the message says what and where."""


class InputError(KGError):
    """An input file is missing or does not parse."""


class ValidationFailed(KGError):
    """The data violates the SHACL shapes."""

    def __init__(self, violations: list[str], what: str = "SHACL"):
        self.violations = violations
        super().__init__(
            f"{what} validation failed with {len(violations)} violation(s):\n"
            + "\n".join(f"  - {v}" for v in violations)
        )


class Inconsistent(KGError):
    """The reasoner found the ontology and data inconsistent."""


class UnsatisfiableClasses(Inconsistent):
    """The ontology is consistent but some named classes can have no members."""


class ReasonerUnavailable(KGError):
    """Java, which the HermiT reasoner runs on, is missing."""


class ArtefactError(KGError):
    """The build artefact is missing, corrupt or cannot be written."""


class UnknownChoice(KGError, ValueError):
    """A name (a graph, a format) that is not among the choices; the message lists them."""
