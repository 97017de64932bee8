"""The build: SHACL stops bad data, HermiT stops inconsistency, output is deterministic and atomic."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from kg import artefact as artefacts
from kg.build import build
from kg.errors import ArtefactError, Inconsistent, ReasonerUnavailable, ValidationFailed
from support import CLASSES, FIXTURES, INDIVIDUALS, INFERRED, TW


def _copy_inputs(settings, tmp_path):
    """A private copy of the data folder that a test may break."""
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    return settings.with_(data_dir=data, build_dir=tmp_path / "build")


def test_counts_of_the_build(built):
    counts = built.counts
    assert counts["classes"] == CLASSES
    assert counts["inferred"] == INFERRED
    assert counts["individuals"] == INDIVIDUALS


def test_same_inputs_give_byte_identical_artefacts(settings, built, tmp_path):
    again = build(settings.with_(build_dir=tmp_path), force=True)
    assert again.artefact.path.read_bytes() == built.artefact.path.read_bytes()
    assert again.artefact.sha256 == built.artefact.sha256


def test_unchanged_inputs_are_not_reasoned_again(settings, built):
    second = build(settings)
    assert second.cached is True
    assert "reason" not in second.timings
    assert second.artefact.sha256 == built.artefact.sha256


def test_changed_inputs_are_rebuilt(settings, tmp_path):
    private = _copy_inputs(settings, tmp_path)
    first = build(private)
    (private.data_dir / "causes.ttl").write_text(
        (private.data_dir / "causes.ttl").read_text() + "\n# a comment changes the hash\n"
    )
    second = build(private)
    assert second.cached is False
    assert second.artefact.input_hash != first.artefact.input_hash


def test_shacl_violation_names_node_property_and_rule(settings, tmp_path):
    private = _copy_inputs(settings, tmp_path)
    shutil.copy(FIXTURES / "broken-cause.ttl", private.data_dir / "broken-cause.ttl")
    with pytest.raises(ValidationFailed) as caught:
        build(private)
    message = str(caught.value)
    assert ("node tw:broken-cause, property tw:hasSeverity, rule sh:MinCountConstraintComponent: "
            "a cause needs exactly one severity: benign or more serious") in message
    assert "node tw:claim-broken, property tw:quote, rule sh:MinCountConstraintComponent" in message
    assert not (private.build_dir / artefacts.ARTEFACT_NAME).exists()


def test_inconsistency_stops_the_build_and_keeps_the_previous_artefact(settings, tmp_path):
    private = _copy_inputs(settings, tmp_path)
    previous = build(private).artefact.path.read_bytes()
    shutil.copy(FIXTURES / "inconsistent.ttl", private.data_dir / "inconsistent.ttl")
    with pytest.raises(Inconsistent) as caught:
        build(private)
    assert str(caught.value) == (
        "the ontology and data are inconsistent: the conflict involves the statements about "
        "https://w3id.org/twitch-kg/id/muscle-spasms"
    )
    assert (private.build_dir / artefacts.ARTEFACT_NAME).read_bytes() == previous


def test_unsatisfiable_class_is_named(settings, tmp_path):
    private = _copy_inputs(settings, tmp_path)
    shutil.copy(FIXTURES / "unsatisfiable.ttl", private.data_dir / "unsatisfiable.ttl")
    with pytest.raises(Inconsistent) as caught:
        build(private)
    assert str(caught.value) == "unsatisfiable classes: https://w3id.org/twitch-kg/id/ImpossibleCause"


def test_missing_java_is_a_clear_error(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("TWITCH_KG_JAVA", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder with no java in it
    with pytest.raises(ReasonerUnavailable) as caught:
        build(settings.with_(build_dir=tmp_path / "b"), force=True)
    assert str(caught.value) == (
        "Java was not found: the HermiT OWL reasoner needs Java 11 or newer "
        "(Debian/Ubuntu: apt-get install default-jre-headless), or set TWITCH_KG_JAVA.")


def test_corrupt_artefact_is_detected(settings, tmp_path, caplog):
    private = settings.with_(build_dir=tmp_path)
    built = build(private)
    built.artefact.path.write_bytes(built.artefact.path.read_bytes() + b"# tampered\n")
    with pytest.raises(ArtefactError) as caught:
        artefacts.verified(tmp_path)
    assert "is corrupt (checksum" in str(caught.value)
    with caplog.at_level("WARNING", logger="kg.artefact"):
        rebuilt = build(private)
    # issue 12, item 8: a corrupted artefact is logged as such before it is rebuilt
    assert [r.getMessage() for r in caplog.records if r.name == "kg.artefact"] == [
        f"{caught.value}; building it again"]
    assert rebuilt.cached is False
    assert hashlib.sha256(rebuilt.artefact.path.read_bytes()).hexdigest() == rebuilt.artefact.sha256


def test_unwritable_output_fails_cleanly(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ArtefactError) as caught:
        build(settings.with_(build_dir=blocker / "out"), force=True)
    assert str(caught.value).startswith(f"cannot write the build artefact to {blocker / 'out'}: ")


def test_failed_write_leaves_previous_artefact(settings, tmp_path, monkeypatch):
    private = settings.with_(build_dir=tmp_path)
    before = build(private).artefact.path.read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(artefacts.os, "replace", disk_full)
    with pytest.raises(ArtefactError) as caught:
        build(private, force=True)
    assert "No space left on device" in str(caught.value)
    assert (tmp_path / artefacts.ARTEFACT_NAME).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_value_of_no_declared_class_is_a_violation_not_typed_by_the_range(settings):
    """Issue 10, item 2: validated under RDFS inference with hasFeature's range, any value at all was
    a feature and the sh:class check passed whatever it was (a typo, say)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg import sources, validate

    data = sources.load_data(settings)
    data.add((URIRef(TW + "example"), RDF.type, URIRef(TW + "Presentation")))
    data.add((URIRef(TW + "example"), URIRef(TW + "hasFeature"), URIRef(TW + "brief-typo")))
    found = validate.violations(data, sources.load_shapes(settings), sources.load_ontology(settings))
    assert found == [("node tw:example, property tw:hasFeature, rule sh:ClassConstraintComponent: "
                      "a presentation's features must be features (tw:Feature)")]
