"""The cross-references as an SSSOM mapping table: validated by the sssom package, the same bytes
from the command line and the web, refused for a single graph."""

from __future__ import annotations

import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

from support import XREFS


@pytest.fixture(scope="module")
def table(app) -> bytes:
    response = app.test_client().get("/export/mappings.sssom.tsv")
    assert response.status_code == 200
    assert response.mimetype == "text/tab-separated-values"
    assert response.headers["Content-Disposition"] == 'attachment; filename="twitch-kg-mappings.sssom.tsv"'
    return response.data


def test_the_sssom_package_validates_the_table(table, tmp_path):
    path = tmp_path / "mappings.sssom.tsv"
    path.write_bytes(table)
    mapping_set = parse_sssom_table(path)
    reports = validate(mapping_set, fail_on_error=False)
    assert {str(kind): list(report.results) for kind, report in reports.items()} == {
        str(kind): [] for kind in reports}
    assert len(mapping_set.df) == XREFS
    assert set(mapping_set.df["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    assert mapping_set.metadata["mapping_set_id"] == "https://w3id.org/twitch-kg/export/mappings.sssom.tsv"
    assert mapping_set.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_table_rows(table):
    text = table.decode("utf-8")
    header, *rows = [line for line in text.splitlines() if not line.startswith("#")]
    assert header.split("\t") == ["subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification"]
    assert "tw:als\tamyotrophic lateral sclerosis\tskos:exactMatch\tMONDO:0004976\tsemapv:ManualMappingCuration" in rows
    assert "tw:diuretics\tdiuretics\tskos:closeMatch\tCHEBI:35498\tsemapv:ManualMappingCuration" in rows
    assert "#   MONDO: http://purl.obolibrary.org/obo/MONDO_\n" in text
    assert '# mapping_set_version: "2.0.0"\n' in text


def test_the_cli_writes_the_same_bytes(cli_bytes, table):
    code, out, err = cli_bytes("export", "--format", "sssom")
    assert (code, err) == (0, b"")
    assert out == table


@pytest.mark.parametrize("graph", ["asserted", "ontology", "inferred"])
def test_the_cli_refuses_a_single_graph(cli_bytes, graph):
    code, out, err = cli_bytes("export", "--format", "sssom", "--graph", graph)
    assert (code, out) == (2, b"")
    assert err.decode() == (f"twitch-kg: error: the sssom format writes the mappings of the whole graph, not of the "
                            f"{graph} graph: leave --graph out\n")


def test_the_downloads_page_lists_it(client):
    html = client.get("/downloads").get_data(as_text=True)
    assert '<a href="/export/mappings.sssom.tsv" type="text/tab-separated-values"' in html
