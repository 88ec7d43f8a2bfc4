"""CAP 1.2 (OASIS Common Alerting Protocol) messages: build, write, read, validate, feed (pure).

An alert (cảnh báo / thông báo) holds one `<info>` per language or audience, and each info names
its target `<area>`s, by polygon, circle or geocode (a valueName/value pair from a named code
list, e.g. official commune codes). Standard: *Common Alerting Protocol Version 1.2*, OASIS,
1 July 2010; the schema is `langso/outreach/cap_schema/CAP-v1.2.xsd`.

Choices made here:
- Date-times are written as CAP requires (§3.3.2): seconds precision, a numeric offset, never
  "Z", and UTC written "-00:00" (the standard's "MUST"; "+00:00" and "Z" are still read).
- `parse` checks structure (well-formed, required elements present, date-times with offsets,
  numbers numeric) but not vocabularies, so a feed from an older or sloppier producer can still
  be read; `validate` is the strict schema check. `to_xml` refuses values outside the schema's
  vocabularies, naive date-times and identifiers with spaces, commas, "<" or "&".
- Human text (headline, description, instruction, …) is kept verbatim; machine values (codes,
  identifiers, date-times, URIs, geocodes) are stripped of surrounding whitespace.
- Documents are read without resolving entities or touching the network; any entity reference
  left in the document is refused, so XXE and entity expansion cannot reach the data.
"""

import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urljoin

from lxml import etree

CAP12_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11_NS = "urn:oasis:names:tc:emergency:cap:1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "cap_schema" / "CAP-v1.2.xsd"
# The schema's default for a missing <language>.
DEFAULT_LANGUAGE = "en-US"

# Vocabularies, in the schema's order.
STATUS = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo", "Met", "Safety", "Security", "Rescue", "Fire",
    "Health", "Env", "Transport", "Infra", "CBRNE", "Other",
)  # fmt: skip
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
RESPONSE_TYPES = (
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid",
    "Monitor", "Assess", "AllClear", "None",
)  # fmt: skip

_CAP_NAMESPACES = (CAP12_NS, CAP11_NS)
_NOT_IN_TOKEN = re.compile(r"[\s,<&]")
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


class CapError(ValueError):
    """A CAP document or value that cannot be read or written; `line` when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"{message} (line {line})" if line else message)


@dataclass(frozen=True)
class CapReference:
    """An earlier message this one updates, cancels or answers."""

    sender: str
    identifier: str
    sent: datetime

    def to_text(self) -> str:
        """The "sender,identifier,sent" form used inside `<references>`."""
        return f"{self.sender},{self.identifier},{format_datetime(self.sent)}"

    @classmethod
    def parse(cls, text: str) -> "CapReference":
        """Reads one "sender,identifier,sent" triple; raises CapError if it is not one."""
        parts = text.strip().split(",")
        if len(parts) != 3 or not all(parts):
            raise CapError(f"reference {text!r} is not of the form sender,identifier,sent")
        return cls(parts[0], parts[1], _parse_datetime(parts[2], "reference sent"))


@dataclass(frozen=True)
class CapGeocode:
    """A code from a named code list, e.g. name = the list's versioned name, value = a code."""

    name: str
    value: str


@dataclass(frozen=True)
class CapArea:
    """One target area; an info's target is the union of its areas."""

    description: str
    geocodes: tuple[CapGeocode, ...] = ()
    polygons: tuple[str, ...] = ()  # "lat,lon lat,lon …", first pair = last pair
    circles: tuple[str, ...] = ()  # "lat,lon radius_km"
    altitude: Decimal | None = None
    ceiling: Decimal | None = None


@dataclass(frozen=True)
class CapResource:
    """A file that goes with the info, e.g. pre-rendered audio; digest is its SHA-1 hex."""

    description: str
    mime_type: str
    uri: str | None = None
    size: int | None = None
    digest: str | None = None
    deref_uri: str | None = None  # the file itself, base64, when it travels inside the message


@dataclass(frozen=True)
class CapInfo:
    """The alert's content for one language (or audience); pairs are (valueName, value)."""

    language: str
    categories: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    sender_name: str | None = None
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    web: str | None = None
    contact: str | None = None
    response_types: tuple[str, ...] = ()
    event_codes: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    audience: str | None = None
    resources: tuple[CapResource, ...] = ()
    areas: tuple[CapArea, ...] = ()


@dataclass(frozen=True)
class CapAlert:
    """One CAP message; `sent` and every other date-time carry a time-zone offset."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    infos: tuple[CapInfo, ...]
    references: tuple[CapReference, ...] = ()
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: tuple[str, ...] = ()
    note: str | None = None
    incidents: str | None = None

    @property
    def language_versions(self) -> dict[str, CapInfo]:
        """Language tag → the first info in that language, in the message's order."""
        versions: dict[str, CapInfo] = {}
        for info in self.infos:
            versions.setdefault(info.language, info)
        return versions


def geocodes_of(alert: CapAlert, name: str) -> set[str]:
    """Every geocode value from the code list `name`, across all infos and areas."""
    return {
        geocode.value
        for info in alert.infos
        for area in info.areas
        for geocode in area.geocodes
        if geocode.name == name
    }


def format_datetime(value: datetime) -> str:
    """CAP's form, e.g. "2026-12-07T08:30:00+07:00"; UTC as "-00:00"; no fractional seconds."""
    offset = value.utcoffset()
    if offset is None:
        raise CapError(f"date-time {value.isoformat()} has no time zone")
    total = int(offset.total_seconds())
    if total % 60:
        raise CapError(f"time-zone offset {offset} is not a whole number of minutes")
    hours, minutes = divmod(abs(total) // 60, 60)
    sign = "+" if total > 0 else "-"
    local = value.replace(tzinfo=None, microsecond=0).isoformat()
    return f"{local}{sign}{hours:02d}:{minutes:02d}"


# --- Writing -------------------------------------------------------------------------------


def to_xml(alert: CapAlert) -> bytes:
    """The alert as a UTF-8 CAP 1.2 document; raises CapError for values CAP does not allow."""
    return etree.tostring(
        _alert_element(alert), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _q(name: str, ns: str = CAP12_NS) -> str:
    return f"{{{ns}}}{name}"


def _add(parent: etree._Element, name: str, value: object) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        value = format_datetime(value)
    etree.SubElement(parent, _q(name)).text = str(value)


def _add_pairs(parent: etree._Element, name: str, pairs: Iterable[tuple[str, str]]) -> None:
    for value_name, value in pairs:
        pair = etree.SubElement(parent, _q(name))
        etree.SubElement(pair, _q("valueName")).text = value_name
        etree.SubElement(pair, _q("value")).text = value


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise CapError(f"{what} {value!r} is not one of {', '.join(choices)}")


def _check_token(value: str, what: str) -> None:
    # CAP: identifier and sender MUST NOT include spaces, commas or the characters < and &.
    if not value or _NOT_IN_TOKEN.search(value):
        raise CapError(f"{what} {value!r} must be non-empty, without spaces, commas, < or &")


def _alert_element(alert: CapAlert) -> etree._Element:
    _check_token(alert.identifier, "identifier")
    _check_token(alert.sender, "sender")
    _check_choice(alert.status, STATUS, "status")
    _check_choice(alert.msg_type, MSG_TYPES, "msgType")
    _check_choice(alert.scope, SCOPES, "scope")
    for reference in alert.references:
        _check_token(reference.sender, "reference sender")
        _check_token(reference.identifier, "reference identifier")
    root = etree.Element(_q("alert"), nsmap={None: CAP12_NS})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", alert.sent)
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", alert.addresses)
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", " ".join(r.to_text() for r in alert.references))
    _add(root, "incidents", alert.incidents)
    for info in alert.infos:
        root.append(_info_element(info))
    return root


def _info_element(info: CapInfo) -> etree._Element:
    if not info.categories:
        raise CapError("an info needs at least one category")
    for category in info.categories:
        _check_choice(category, CATEGORIES, "category")
    for response_type in info.response_types:
        _check_choice(response_type, RESPONSE_TYPES, "responseType")
    _check_choice(info.urgency, URGENCIES, "urgency")
    _check_choice(info.severity, SEVERITIES, "severity")
    _check_choice(info.certainty, CERTAINTIES, "certainty")
    element = etree.Element(_q("info"))
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category)
    _add(element, "event", info.event)
    for response_type in info.response_types:
        _add(element, "responseType", response_type)
    _add(element, "urgency", info.urgency)
    _add(element, "severity", info.severity)
    _add(element, "certainty", info.certainty)
    _add(element, "audience", info.audience)
    _add_pairs(element, "eventCode", info.event_codes)
    for name in ("effective", "onset", "expires"):
        _add(element, name, getattr(info, name))
    _add(element, "senderName", info.sender_name)
    for name in ("headline", "description", "instruction", "web", "contact"):
        _add(element, name, getattr(info, name))
    _add_pairs(element, "parameter", info.parameters)
    for resource in info.resources:
        _resource_element(element, resource)
    for area in info.areas:
        _area_element(element, area)
    return element


def _resource_element(parent: etree._Element, resource: CapResource) -> None:
    element = etree.SubElement(parent, _q("resource"))
    _add(element, "resourceDesc", resource.description)
    _add(element, "mimeType", resource.mime_type)
    _add(element, "size", resource.size)
    _add(element, "uri", resource.uri)
    _add(element, "derefUri", resource.deref_uri)
    _add(element, "digest", resource.digest)


def _area_element(parent: etree._Element, area: CapArea) -> None:
    element = etree.SubElement(parent, _q("area"))
    _add(element, "areaDesc", area.description)
    for polygon in area.polygons:
        _add(element, "polygon", polygon)
    for circle in area.circles:
        _add(element, "circle", circle)
    _add_pairs(element, "geocode", ((g.name, g.value) for g in area.geocodes))
    for name in ("altitude", "ceiling"):
        value = getattr(area, name)
        if value is not None:
            _add(element, name, format(Decimal(str(value)), "f"))


# --- Reading -------------------------------------------------------------------------------


def parse(xml: bytes) -> CapAlert:
    """Reads a CAP 1.2 (or 1.1) `<alert>` document; raises CapError saying what is wrong."""
    root = _parse_document(xml)
    if _cap_namespace(root) is None:
        name = etree.QName(root).localname
        raise CapError(f"expected a CAP <alert>, found <{name}>", root.sourceline)
    return _read_alert(root)


def _parse_document(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        reason = _LXML_POSITION.sub("", error.msg or str(error))
        raise CapError(f"not well-formed XML: {reason}", error.lineno) from None
    except ValueError as error:  # e.g. a str that carries an encoding declaration
        raise CapError(f"cannot read the document: {error}") from None
    for entity in root.iter(etree.Entity):
        line = entity.getparent().sourceline
        raise CapError(f"entity reference {entity.text} is not allowed in CAP", line)
    return root


def _cap_namespace(element: etree._Element) -> str | None:
    qname = etree.QName(element)
    if qname.localname == "alert" and qname.namespace in _CAP_NAMESPACES:
        return qname.namespace
    return None


class _Reader:
    """Reads the children of one CAP element, naming the path and line of what is wrong."""

    def __init__(self, element: etree._Element, ns: str, path: str) -> None:
        self.element, self.ns, self.path = element, ns, path

    def children(self, name: str) -> list[etree._Element]:
        return self.element.findall(_q(name, self.ns))

    def each(self, name: str) -> list["_Reader"]:
        found = self.children(name)
        return [_Reader(e, self.ns, f"{self.path}/{name}[{i}]") for i, e in enumerate(found, 1)]

    def error(self, message: str, element: etree._Element | None = None) -> CapError:
        line = (element if element is not None else self.element).sourceline
        return CapError(f"{self.path}: {message}", line)

    def text(self, name: str, *, verbatim: bool = False) -> str | None:
        child = self.element.find(_q(name, self.ns))
        if child is None:
            return None
        text = child.text or ""
        return (text if verbatim else text.strip()) or None

    def required(self, name: str, *, verbatim: bool = False) -> str:
        value = self.text(name, verbatim=verbatim)
        if value is None:
            raise self.error(f"required element <{name}> is missing or empty")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        return tuple(t for c in self.children(name) if (t := (c.text or "").strip()))

    def pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        result = []
        for pair in self.each(name):
            if not pair.children("value"):
                raise pair.error("required element <value> is missing")
            result.append((pair.required("valueName"), pair.text("value") or ""))
        return tuple(result)

    def date_time(self, name: str) -> datetime | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            return _parse_datetime(text, name)
        except CapError as error:
            raise self.error(error.message, self.element.find(_q(name, self.ns))) from None

    def number(self, name: str, kind: type[int] | type[Decimal]) -> int | Decimal | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            return kind(text)
        except (ValueError, InvalidOperation):
            raise self.error(f"<{name}> {text!r} is not a number") from None


def _parse_datetime(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CapError(f"<{what}> {text!r} is not a date-time") from None
    if value.tzinfo is None:
        raise CapError(f"<{what}> {text!r} has no time-zone offset")
    return value


def _read_alert(element: etree._Element) -> CapAlert:
    alert = _Reader(element, etree.QName(element).namespace, "alert")
    identifier, sender = alert.required("identifier"), alert.required("sender")
    sent = alert.date_time("sent")
    if sent is None:
        raise alert.error("required element <sent> is missing or empty")
    references = []
    for text in (alert.text("references") or "").split():
        try:
            references.append(CapReference.parse(text))
        except CapError as error:
            raise alert.error(error.message, element.find(_q("references", alert.ns))) from None
    return CapAlert(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=alert.required("status"),
        msg_type=alert.required("msgType"),
        scope=alert.required("scope"),
        infos=tuple(_read_info(info) for info in alert.each("info")),
        references=tuple(references),
        source=alert.text("source"),
        restriction=alert.text("restriction", verbatim=True),
        addresses=alert.text("addresses"),
        codes=alert.texts("code"),
        note=alert.text("note", verbatim=True),
        incidents=alert.text("incidents"),
    )


def _read_info(info: _Reader) -> CapInfo:
    categories = info.texts("category")
    if not categories:
        raise info.error("required element <category> is missing")
    return CapInfo(
        language=info.text("language") or DEFAULT_LANGUAGE,
        categories=categories,
        event=info.required("event", verbatim=True),
        urgency=info.required("urgency"),
        severity=info.required("severity"),
        certainty=info.required("certainty"),
        headline=info.text("headline", verbatim=True),
        description=info.text("description", verbatim=True),
        instruction=info.text("instruction", verbatim=True),
        sender_name=info.text("senderName", verbatim=True),
        effective=info.date_time("effective"),
        onset=info.date_time("onset"),
        expires=info.date_time("expires"),
        web=info.text("web"),
        contact=info.text("contact", verbatim=True),
        response_types=info.texts("responseType"),
        event_codes=info.pairs("eventCode"),
        parameters=info.pairs("parameter"),
        audience=info.text("audience", verbatim=True),
        resources=tuple(_read_resource(r) for r in info.each("resource")),
        areas=tuple(_read_area(a) for a in info.each("area")),
    )


def _read_resource(resource: _Reader) -> CapResource:
    return CapResource(
        description=resource.required("resourceDesc", verbatim=True),
        mime_type=resource.required("mimeType"),
        uri=resource.text("uri"),
        size=resource.number("size", int),
        digest=resource.text("digest"),
        deref_uri=resource.text("derefUri"),
    )


def _read_area(area: _Reader) -> CapArea:
    return CapArea(
        description=area.required("areaDesc", verbatim=True),
        geocodes=tuple(CapGeocode(name, value) for name, value in area.pairs("geocode")),
        polygons=area.texts("polygon"),
        circles=area.texts("circle"),
        altitude=area.number("altitude", Decimal),
        ceiling=area.number("ceiling", Decimal),
    )


# --- Schema --------------------------------------------------------------------------------


# An XMLSchema keeps the last run's errors on the instance; the lock keeps threads' runs apart.
_SCHEMA_LOCK = threading.Lock()


@functools.cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


def validate(xml: bytes) -> list[str]:
    """Errors of the document against the OASIS CAP 1.2 schema, each with its line; [] if valid."""
    try:
        root = _parse_document(xml)
    except CapError as error:
        return [str(error)]
    schema = _schema()
    with _SCHEMA_LOCK:
        if schema.validate(root):
            return []
        errors = list(schema.error_log)
    return [f"line {e.line}: {e.message.replace('{' + CAP12_NS + '}', 'cap:')}" for e in errors]


# --- Feeds ---------------------------------------------------------------------------------


def feed_xml(
    alerts: Iterable[CapAlert], *, feed_id: str, title: str, updated: datetime, link: str
) -> bytes:
    """An Atom feed (UTF-8) with one entry per alert, the CAP `<alert>` inside its content.

    `link` is the feed's own address (rel="self"). Each entry's id is `feed_id` followed by the
    alert's sender and identifier, which CAP makes unique together.
    """
    feed = etree.Element(_q("feed", ATOM_NS), nsmap={None: ATOM_NS})
    _atom(feed, "id", feed_id)
    _atom(feed, "title", title)
    _atom(feed, "updated", _rfc3339(updated))
    etree.SubElement(feed, _q("link", ATOM_NS), rel="self", href=link)
    for alert in alerts:
        entry = etree.SubElement(feed, _q("entry", ATOM_NS))
        sender, identifier = quote(alert.sender, safe="@"), quote(alert.identifier, safe="")
        _atom(entry, "id", f"{feed_id.rstrip('/')}/{sender}/{identifier}")
        _atom(entry, "title", _entry_title(alert))
        _atom(entry, "updated", _rfc3339(alert.sent))
        author = etree.SubElement(entry, _q("author", ATOM_NS))
        _atom(author, "name", alert.sender)
        content = etree.SubElement(entry, _q("content", ATOM_NS), type="text/xml")
        content.append(_alert_element(alert))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _atom(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, _q(name, ATOM_NS)).text = text


def _rfc3339(value: datetime) -> str:
    if value.utcoffset() is None:
        raise CapError(f"date-time {value.isoformat()} has no time zone")
    return value.replace(microsecond=0).isoformat()


def _entry_title(alert: CapAlert) -> str:
    if not alert.infos:
        return alert.identifier
    return alert.infos[0].headline or alert.infos[0].event


def parse_feed(xml: bytes) -> list[CapAlert]:
    """The alerts embedded in an Atom or RSS feed, in order, or the one alert of a CAP document.

    Entries that only link to their alert are skipped here; `feed_links` returns their links.
    """
    root = _parse_document(xml)
    if _cap_namespace(root) is not None:
        return [_read_alert(root)]
    _check_feed(root)
    alerts = root.iter(*(_q("alert", ns) for ns in _CAP_NAMESPACES))
    return [_read_alert(element) for element in alerts]


def feed_links(xml: bytes) -> list[str]:
    """Links to the alert documents of Atom entries / RSS items that do not embed their alert.

    Atom: the entry's link typed application/cap+xml, else its alternate link. RSS: the item's
    CAP enclosure, else its <link>. Relative links are resolved against xml:base. A single CAP
    document gives [].
    """
    root = _parse_document(xml)
    if _cap_namespace(root) is not None:
        return []
    _check_feed(root)
    if root.tag == _q("feed", ATOM_NS):
        links = (_atom_link(e) for e in root.iter(_q("entry", ATOM_NS)) if not _embeds(e))
    else:
        links = (_rss_link(i) for i in root.iter("item") if not _embeds(i))
    return list(dict.fromkeys(link for link in links if link))


def _check_feed(root: etree._Element) -> None:
    if root.tag not in (_q("feed", ATOM_NS), "rss"):
        name = etree.QName(root).localname
        raise CapError(
            f"expected an Atom feed, an RSS feed or a CAP <alert>, found <{name}>", root.sourceline
        )


def _embeds(entry: etree._Element) -> bool:
    return any(entry.find(f".//{_q('alert', ns)}") is not None for ns in _CAP_NAMESPACES)


def _atom_link(entry: etree._Element) -> str | None:
    links = entry.findall(_q("link", ATOM_NS))
    typed = [link for link in links if "cap" in link.get("type", "")]
    alternate = [link for link in links if link.get("rel", "alternate") == "alternate"]
    for link in typed + alternate:
        if href := (link.get("href") or "").strip():
            return urljoin(link.base or "", href)
    return None


def _rss_link(item: etree._Element) -> str | None:
    for enclosure in item.findall("enclosure"):
        if "cap" in enclosure.get("type", "") and (url := enclosure.get("url", "").strip()):
            return url
    link = (item.findtext("link") or "").strip()
    return link or None
