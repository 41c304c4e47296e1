"""Model errors: input the model cannot judge, each with a one-line message the CLI prints as `error: …`.

Following ovsdbapp's exceptions: a class-level template filled from keyword arguments, so messages are uniform
and tests can match on the class.
"""

from __future__ import annotations

from typing import Any


class ModelError(Exception):
    """Base class; `str()` is the one-line message."""

    message = "cannot judge this workload"

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        super().__init__(self.message.format(**kwargs))


class MalformedMultusAnnotation(ModelError):
    message = "pod {namespace}/{pod} has a malformed {annotation} annotation ({value!r}): {error}"


class MissingNad(ModelError):
    message = (
        'network-attachment-definition "{nad_name}" not found in namespace "{nad_namespace}" '
        "(referenced by pod {namespace}/{pod})"
    )


class UncheckedRelease(ModelError):
    """A Kube-OVN release older than every checked one (`releases.resolve`): nothing stands in for it."""

    message = "{subject} {reason}{hint}"


class MultusParseError(ValueError):
    """Raised by the Multus parsers with Kube-OVN's own error text; `annotation` names the key when known."""

    annotation: str = ""


class MalformedObject(ModelError):
    """A field the model reads has the wrong type (a replayed dump or a CRD without a schema can hold it)."""

    message = "{kind} {ref}: {field} must be {expected}, got {got}"
