import ast
import hashlib
import pathlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from langso.outreach.channels import cap

EXAMPLES = pathlib.Path(__file__).parent / "cap_examples"
ICT = timezone(timedelta(hours=7))  # Vietnam, UTC+7
COMMUNE_CODES = "VN-ADMIN-2025"  # a versioned code-list name, as the announcements feature uses
EXPECTED_IDENTIFIERS = {
    "Oasis_HomelandAlert.xml": "43b080713727",
    "Oasis_ThunderstormWarning.xml": "KSTO1055887203",
    "Oasis_EarthquakeReport.xml": "TRI13970876.2",
    "Oasis_AmberAlert.xml": "KAR0-0306112239-SW",
}
AUDIO = b"ID3 pre-rendered announcement audio"


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def flood_alert() -> cap.CapAlert:
    """An Update in Vietnamese and Hmong for two communes, with audio attached."""
    sent = datetime(2026, 12, 7, 8, 30, tzinfo=ICT)
    areas = (
        cap.CapArea(
            "Xã Bản Hồ",
            geocodes=(cap.CapGeocode(COMMUNE_CODES, "02680"),),
            polygons=("22.30,103.90 22.30,104.00 22.20,104.00 22.30,103.90",),
            circles=("22.25,103.95 5",),
        ),
        cap.CapArea(
            "Xã Tả Van",
            geocodes=(cap.CapGeocode(COMMUNE_CODES, "02671"), cap.CapGeocode("SAME", "9")),
            altitude=Decimal("300"),
            ceiling=Decimal("1500.5"),
        ),
    )
    audio = cap.CapResource(
        "Bản tin đọc sẵn",
        "audio/mpeg",
        uri="https://langso.example/audio/flood.mp3",
        size=len(AUDIO),
        digest=hashlib.sha1(AUDIO).hexdigest(),
    )
    common = {
        "categories": ("Met", "Safety"),
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "sender_name": "UBND xã Bản Hồ",
        "effective": sent,
        "expires": sent + timedelta(hours=12),
        "response_types": ("Evacuate", "Prepare"),
        "event_codes": (("LANGSO", "flood"),),
        "parameters": (("waterLevelCm", "180"),),
        "resources": (audio,),
        "areas": areas,
    }
    vietnamese = cap.CapInfo(
        language="vi",
        event="Lũ quét",
        headline="Cảnh báo lũ quét",
        description="Mưa lớn kéo dài, nguy cơ lũ quét ở các bản ven suối.",
        instruction="Di chuyển người và gia súc lên chỗ cao.",
        **common,
    )
    hmong = cap.CapInfo(
        language="hmn",
        event="Dej nyab",
        headline="Ceeb toom dej nyab",
        **common,
    )
    return cap.CapAlert(
        identifier="langso-2026-0042",
        sender="ubnd.banho@langso.example",
        sent=sent,
        status="Actual",
        msg_type="Update",
        scope="Public",
        infos=(vietnamese, hmong),
        references=(
            cap.CapReference(
                "ubnd.banho@langso.example", "langso-2026-0041", datetime(2026, 12, 7, tzinfo=ICT)
            ),
        ),
        codes=("langso",),
        note="Cập nhật mực nước",
    )


# --- The OASIS examples (CAP 1.2 Appendix A) ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_IDENTIFIERS))
def test_each_oasis_example_parses(name):
    assert cap.parse(example(name)).identifier == EXPECTED_IDENTIFIERS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_IDENTIFIERS))
def test_each_oasis_example_is_valid_against_the_schema(name):
    assert cap.validate(example(name)) == []


def test_the_homeland_alert_has_its_headline_and_resource():
    alert = cap.parse(example("Oasis_HomelandAlert.xml"))
    (info,) = alert.infos
    assert info.headline == "Homeland Security Sets Code ORANGE"
    assert info.resources == (
        cap.CapResource(
            "Image file (GIF)", "image/gif", uri="http://www.dhs.gov/dhspublic/getAdvisoryImage"
        ),
    )


def test_the_thunderstorm_warning_has_its_headline_expiry_and_polygon():
    alert = cap.parse(example("Oasis_ThunderstormWarning.xml"))
    (info,) = alert.infos
    assert info.headline == "SEVERE THUNDERSTORM WARNING"
    assert info.expires == datetime(2003, 6, 17, 16, tzinfo=timezone(timedelta(hours=-7)))
    assert info.areas[0].polygons[0].startswith("38.47,-120.14 ")


def test_the_earthquake_report_is_an_update_that_references_the_first_report():
    alert = cap.parse(example("Oasis_EarthquakeReport.xml"))
    assert alert.msg_type == "Update"
    assert alert.references == (
        cap.CapReference(
            "trinet@caltech.edu",
            "TRI13970876.1",
            datetime(2003, 6, 11, 20, 30, tzinfo=timezone(timedelta(hours=-7))),
        ),
    )


def test_the_amber_alert_gives_an_english_and_a_spanish_version():
    versions = cap.parse(example("Oasis_AmberAlert.xml")).language_versions
    assert list(versions) == ["en-US", "es-US"]
    assert versions["es-US"].event == "Abducción de Niño"


def test_an_info_without_language_is_in_the_schema_default_en_us():
    assert cap.parse(example("Oasis_HomelandAlert.xml")).infos[0].language == "en-US"


def test_human_text_is_kept_verbatim():
    info = cap.parse(example("Oasis_HomelandAlert.xml")).infos[0]
    assert info.instruction.startswith(" A High Condition is declared")


def test_the_vocabularies_are_the_schemas():
    schema = etree.parse(str(cap.SCHEMA_PATH))
    xs = {"xs": "http://www.w3.org/2001/XMLSchema"}

    def enumeration(name):
        path = f"//xs:element[@name='{name}']//xs:enumeration/@value"
        return tuple(schema.xpath(path, namespaces=xs))

    assert enumeration("status") == cap.STATUS
    assert enumeration("msgType") == cap.MSG_TYPES
    assert enumeration("scope") == cap.SCOPES
    assert enumeration("category") == cap.CATEGORIES
    assert enumeration("urgency") == cap.URGENCIES
    assert enumeration("severity") == cap.SEVERITIES
    assert enumeration("certainty") == cap.CERTAINTIES
    assert enumeration("responseType") == cap.RESPONSE_TYPES


# --- Writing and the round trip ----------------------------------------------------------------


def test_a_written_alert_is_valid_against_the_schema():
    assert cap.validate(cap.to_xml(flood_alert())) == []


def test_a_written_alert_parses_back_to_the_same_alert():
    alert = flood_alert()
    assert cap.parse(cap.to_xml(alert)) == alert


def test_a_written_alert_keeps_vietnamese_text_in_utf8():
    xml = cap.to_xml(flood_alert())
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Cảnh báo lũ quét".encode() in xml


def test_references_are_written_as_sender_identifier_sent():
    xml = cap.to_xml(flood_alert())
    expected = b"<references>ubnd.banho@langso.example,langso-2026-0041,2026-12-07T00:00:00+07:00<"
    assert expected in xml


def test_optional_elements_left_empty_are_not_written():
    alert = flood_alert()
    xml = cap.to_xml(alert)
    assert b"<source>" not in xml
    assert b"<onset>" not in xml
    assert b"<web>" not in xml


def test_datetimes_are_written_in_seconds_with_their_offset():
    moment = datetime(2026, 12, 7, 8, 30, 15, 999999, tzinfo=ICT)
    assert cap.format_datetime(moment) == "2026-12-07T08:30:15+07:00"


def test_utc_is_written_minus_zero_as_cap_requires():
    assert (
        cap.format_datetime(datetime(2026, 12, 7, 1, 30, tzinfo=UTC)) == "2026-12-07T01:30:00-00:00"
    )


def test_a_negative_offset_keeps_its_sign():
    moment = datetime(2003, 6, 11, 20, 30, tzinfo=timezone(timedelta(hours=-7)))
    assert cap.format_datetime(moment) == "2003-06-11T20:30:00-07:00"


def test_a_naive_datetime_is_refused():
    alert = flood_alert()
    naive = replace(alert, sent=datetime(2026, 12, 7, 8, 30))
    with pytest.raises(cap.CapError, match="no time zone"):
        cap.to_xml(naive)


def test_a_status_outside_the_vocabulary_is_refused_when_writing():
    alert = replace(flood_alert(), status="actual")
    with pytest.raises(cap.CapError, match="status 'actual'"):
        cap.to_xml(alert)


def test_an_identifier_with_a_space_is_refused_when_writing():
    alert = replace(flood_alert(), identifier="flood 42")
    with pytest.raises(cap.CapError, match="identifier"):
        cap.to_xml(alert)


def test_a_reference_reads_back_from_its_text():
    reference = flood_alert().references[0]
    assert cap.CapReference.parse(reference.to_text()) == reference


def test_a_reference_without_three_parts_is_refused():
    with pytest.raises(cap.CapError, match="sender,identifier,sent"):
        cap.CapReference.parse("someone@example,42")


# --- Targeting helpers -------------------------------------------------------------------------


def test_geocodes_of_collects_one_code_list_across_infos_and_areas():
    assert cap.geocodes_of(flood_alert(), COMMUNE_CODES) == {"02680", "02671"}


def test_geocodes_of_ignores_other_code_lists():
    assert cap.geocodes_of(flood_alert(), "SAME") == {"9"}


def test_language_versions_keep_the_first_info_of_each_language():
    alert = flood_alert()
    vietnamese, hmong = alert.infos
    second_vietnamese = replace(vietnamese, audience="cán bộ thôn")
    alert = replace(alert, infos=(vietnamese, hmong, second_vietnamese))
    assert alert.language_versions == {"vi": vietnamese, "hmn": hmong}


# --- Invalid documents -------------------------------------------------------------------------


THUNDERSTORM = example("Oasis_ThunderstormWarning.xml")
WITHOUT_IDENTIFIER = THUNDERSTORM.replace(b"<identifier>KSTO1055887203</identifier>", b"")


def test_validate_names_a_status_outside_the_vocabulary_with_its_line():
    bogus = THUNDERSTORM.replace(b"<status>Actual</status>", b"<status>Bogus</status>")
    (error,) = cap.validate(bogus)
    assert error.startswith("line 8: ")
    assert "cap:status" in error
    assert "Bogus" in error


def test_validate_names_a_missing_identifier():
    (error,) = cap.validate(WITHOUT_IDENTIFIER)
    assert "Expected is ( cap:identifier )" in error


def test_validate_reports_malformed_xml_instead_of_raising():
    (error,) = cap.validate(THUNDERSTORM[:300])
    assert "not well-formed XML" in error


def test_parse_names_a_missing_identifier_and_its_line():
    with pytest.raises(cap.CapError, match=r"<identifier> is missing") as raised:
        cap.parse(WITHOUT_IDENTIFIER)
    assert raised.value.line == 4


def test_parse_names_the_info_that_lacks_a_required_element():
    without_urgency = THUNDERSTORM.replace(b"<urgency>Immediate</urgency>", b"")
    with pytest.raises(cap.CapError, match=r"alert/info\[1\]: required element <urgency>"):
        cap.parse(without_urgency)


def test_parse_refuses_a_sent_time_without_offset():
    naive = THUNDERSTORM.replace(b"2003-06-17T14:57:00-07:00", b"2003-06-17T14:57:00")
    with pytest.raises(cap.CapError, match="no time-zone offset"):
        cap.parse(naive)


def test_parse_gives_the_line_of_malformed_xml():
    broken = THUNDERSTORM.replace(b"</status>", b"</statos>")
    with pytest.raises(cap.CapError, match="not well-formed XML") as raised:
        cap.parse(broken)
    assert raised.value.line == 8


def test_parse_refuses_a_document_that_is_not_an_alert():
    with pytest.raises(cap.CapError, match="expected a CAP <alert>"):
        cap.parse(b'<feed xmlns="http://www.w3.org/2005/Atom"/>')


def test_parse_reads_the_cap_1_1_namespace():
    old = THUNDERSTORM.replace(b"emergency:cap:1.2", b"emergency:cap:1.1")
    assert cap.parse(old) == cap.parse(THUNDERSTORM)


# --- Hostile documents -------------------------------------------------------------------------


def test_an_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doctype = f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'.encode()
    hostile = THUNDERSTORM.replace(b"<alert ", doctype + b"<alert ", 1).replace(
        b"<contact>BARUFFALDI/JUSKIE</contact>", b"<contact>&xxe;</contact>"
    )
    with pytest.raises(cap.CapError, match="entity reference &xxe;"):
        cap.parse(hostile)


def test_entity_expansion_is_refused():
    laughs = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )  # 10^9 "lol"s if expanded
    doctype = f'<!DOCTYPE alert [<!ENTITY lol0 "lol">{laughs}]>\n'.encode()
    hostile = THUNDERSTORM.replace(b"<alert ", doctype + b"<alert ", 1).replace(
        b"<contact>BARUFFALDI/JUSKIE</contact>", b"<contact>&lol9;</contact>"
    )
    with pytest.raises(cap.CapError):
        cap.parse(hostile)


# --- Feeds -------------------------------------------------------------------------------------


def feed_of(alerts) -> bytes:
    return cap.feed_xml(
        alerts,
        feed_id="https://langso.example/cap/feed",
        title="Cảnh báo xã Bản Hồ",
        updated=datetime(2026, 12, 7, 9, tzinfo=ICT),
        link="https://langso.example/cap/feed.xml",
    )


def test_a_feed_gives_back_its_alerts_in_order():
    alerts = [flood_alert(), cap.parse(THUNDERSTORM)]
    assert cap.parse_feed(feed_of(alerts)) == alerts


def test_a_feed_is_atom_with_each_alert_inside_an_entry_content():
    feed = etree.fromstring(feed_of([flood_alert()]))
    atom = {"a": cap.ATOM_NS, "cap": cap.CAP12_NS}
    assert feed.tag == f"{{{cap.ATOM_NS}}}feed"
    (content,) = feed.xpath("a:entry/a:content[@type='text/xml']", namespaces=atom)
    (alert,) = content.xpath("cap:alert", namespaces=atom)
    assert cap.validate(etree.tostring(alert)) == []


def test_feed_entries_have_distinct_ids():
    second = replace(flood_alert(), identifier="langso-2026-0043")
    feed = etree.fromstring(feed_of([flood_alert(), second]))
    ids = feed.xpath("a:entry/a:id/text()", namespaces={"a": cap.ATOM_NS})
    assert len(set(ids)) == 2


def test_parse_feed_reads_a_single_alert_document():
    assert cap.parse_feed(THUNDERSTORM) == [cap.parse(THUNDERSTORM)]


def test_parse_feed_refuses_a_document_that_is_neither_feed_nor_alert():
    with pytest.raises(cap.CapError, match="expected an Atom feed"):
        cap.parse_feed(b"<html/>")


ATOM_OF_LINKS = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://alerts.example/">
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <title>Alerts</title>
  <updated>2026-12-07T09:00:00+07:00</updated>
  <entry>
    <id>urn:uuid:1</id><title>One</title><updated>2026-12-07T09:00:00+07:00</updated>
    <link rel="alternate" type="text/html" href="https://alerts.example/1.html"/>
    <link rel="alternate" type="application/cap+xml" href="https://alerts.example/1.xml"/>
  </entry>
  <entry>
    <id>urn:uuid:2</id><title>Two</title><updated>2026-12-07T09:00:00+07:00</updated>
    <link rel="self" href="https://alerts.example/feed"/>
    <link href="cap/2.xml"/>
  </entry>
</feed>
"""


def test_feed_links_prefers_the_cap_typed_link_and_resolves_relative_ones():
    assert cap.feed_links(ATOM_OF_LINKS) == [
        "https://alerts.example/1.xml",
        "https://alerts.example/cap/2.xml",
    ]


def test_feed_links_skips_entries_that_embed_their_alert():
    assert cap.feed_links(feed_of([flood_alert()])) == []


def test_a_feed_of_links_has_no_embedded_alerts():
    assert cap.parse_feed(ATOM_OF_LINKS) == []


def test_feed_links_reads_rss_items():
    rss = b"""<rss version="2.0"><channel><title>Alerts</title>
      <item><title>One</title><link>https://alerts.example/1.xml</link></item>
      <item><title>Two</title><link>https://alerts.example/2.html</link>
        <enclosure url="https://alerts.example/2.xml" type="application/cap+xml" length="1"/>
      </item>
    </channel></rss>"""
    assert cap.feed_links(rss) == ["https://alerts.example/1.xml", "https://alerts.example/2.xml"]


# --- Convention --------------------------------------------------------------------------------


def test_the_cap_module_imports_neither_django_nor_langso():
    tree = ast.parse(pathlib.Path(cap.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported if m.split(".")[0] in {"django", "langso"}}
