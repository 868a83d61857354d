"""The rules every case-library file must follow: vocabularies and a validator.

The case library (``workshop_utils/data/cases.json``) is data that people
edit by hand, so it is checked on every load. :func:`problems` lists every
rule a library breaks, in plain words and naming the case and field;
:func:`validate` raises one error with all of them. :func:`json_schema`
exports the per-field rules as a JSON Schema for editors; the cross-case
rules (unique ids, links that resolve and have their inverse, thread stages)
exist only here.

The vocabularies are deliberately small and fixed, so that filters in the
case explorer stay meaningful. Facts in the cases come from the workshop's
verified fact sheet; phrases that the sheet flags as unverified are listed in
:data:`UNVERIFIED_PHRASES` and rejected anywhere in a case.

Used in: :mod:`workshop_utils.cases` (loading) and tests/test_cases.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "CASE_FIELDS",
    "DOMAINS",
    "HARM_IMPACTS",
    "IMPACTS",
    "RELATIONS",
    "STAGE_ROLES",
    "STATUSES",
    "TECHNIQUES",
    "THEMES",
    "THREAD_KINDS",
    "UNVERIFIED_PHRASES",
    "YEAR_RANGE",
    "CaseLibraryError",
    "json_schema",
    "problems",
    "validate",
]

SCHEMA_VERSION = 1

#: Domain slug -> display name.
DOMAINS: dict[str, str] = {
    "art": "Art",
    "activism": "Activism and public education",
    "industry": "Industry",
    "society": "Society and harm",
}

#: Technique slug -> display name.
TECHNIQUES: dict[str, str] = {
    "face-swap": "face swap",
    "lip-sync": "lip sync / dialogue replacement",
    "voice-cloning": "voice cloning",
    "synthetic-avatar": "synthetic avatar or model",
    "image-synthesis": "image synthesis (GAN images)",
    "synthetic-faces": "synthetic faces of people who do not exist",
    "full-body-deepfake": "full-body deepfake",
    "deepfake-video": "deepfake video (method not specified)",
    "text-generation": "text generation",
    "cheap-fake": "cheap fake (editing, slowing, recontextualising)",
    "generative-installation": "generative installation",
    "alleged-deepfake": "alleged deepfake (never established)",
    "imposter": "imposter account or spoofed identity",
}

#: Harm/benefit classification -> what it means (an editorial judgement, explained on every card).
IMPACTS: dict[str, str] = {
    "benefit": "made with consent for a purpose the case presents as beneficial",
    "harm": "used to deceive, defraud, harass or exploit people",
    "contested": "a benefit is claimed, but consent, credit, framing or risk is disputed",
}

#: Impacts whose cases describe harmful material and so must carry a content note. "harm" means
#: used "to deceive, defraud, harass or exploit people": describing that can distress readers, so a
#: card must say up front what it covers. "contested" and "benefit" cases get one where their
#: subject calls for it (a death, an illness), which the editor decides case by case.
HARM_IMPACTS: tuple[str, ...] = ("harm",)

#: Theme slug -> display name.
THEMES: dict[str, str] = {
    "consent": "consent",
    "disclosure": "disclosure",
    "attribution": "attribution and credit",
    "repurposing": "repurposing by others",
    "data-provenance": "where the data came from",
    "labour": "labour",
    "representation": "representation",
    "posthumous-likeness": "likeness after death",
    "trust-erosion": "erosion of trust (liar's dividend)",
    "platform-response": "platform response",
    "verification": "verification of people and sources",
    "publication-norms": "publication norms",
    "regulation": "law and regulation",
}

#: Fact-check status -> meaning (mirrors the fact sheet's marks).
STATUSES: dict[str, str] = {
    "verified": "each fact was checked against a primary or well-sourced report",
    "secondary": "some items rest only on secondary sources (see the note)",
}

#: Relation -> (display label, inverse relation). Symmetric relations are their own inverse.
RELATIONS: dict[str, tuple[str, str]] = {
    "compare": ("compare with", "compare"),
    "contrast": ("contrast with", "contrast"),
    "same-vendor": ("same vendor as", "same-vendor"),
    "exposed": ("the artist helped expose", "exposed-by"),
    "exposed-by": ("exposed with the help of", "exposed"),
}

#: Kinds of thread that run through several cases.
THREAD_KINDS: dict[str, str] = {
    "repurposing": "the same technique or vendor used for good, then for harm",
    "disclosure": "a spectrum from explicit disclosure to none",
    "consent": "a spectrum from governed consent to none",
}

#: Roles of the stages of a repurposing thread, and the impacts a case in that stage may have.
STAGE_ROLES: dict[str, tuple[str, ...]] = {
    "benevolent": ("benefit", "contested"),
    "harmful": ("harm", "contested"),
    "consequence": ("harm", "contested"),
}

#: Phrases the fact sheet flags as unverified or wrong (section 0 and G): never allowed in a case.
UNVERIFIED_PHRASES: dict[str, str] = {
    "$500 billion": "Pentagon image: the market-loss figure comes from a low-quality site",
    "$500b": "Pentagon image: the market-loss figure comes from a low-quality site",
    "500 billion": "Pentagon image: the market-loss figure comes from a low-quality site",
    "discord": "Pentagon image: 'made on Discord' is unverified",
    "swung": "Slovakia: no source shows that the fake changed the election result",
    "centrica": "UK voice fraud: the company was not named; one database's name is unverified",
    "25 tokens": "watermarking: 'as few as 25 tokens' was not found in the paper",
    "moma acquired": "Anadol: the acquisition claim appears only on a low-quality site",
    "acquired by moma": "Anadol: the acquisition claim appears only on a low-quality site",
    "first generative-ai artwork": "Anadol: the acquisition claim appears only on a low-quality site",
    "4.82": "Nightingale & Farid: exact trust ratings were not found",
    "7.7%": "Nightingale & Farid: exact trust ratings were not found",
    "cscw": "Saltz et al. is a CHI 2021 Late-Breaking Work, not CSCW",
    "bongo deepfake": "Gabon: the video was never established to be a deepfake",
    "deepfake of ali bongo": "Gabon: the video was never established to be a deepfake",
    "deepfaked bongo": "Gabon: the video was never established to be a deepfake",
}

#: Inclusive range of allowed case years.
YEAR_RANGE = (2010, 2030)

#: Field name -> (required, JSON type) for one case.
CASE_FIELDS: dict[str, tuple[bool, str]] = {
    "id": (True, "string"),
    "title": (True, "string"),
    "short_title": (True, "string"),
    "year": (True, "integer"),
    "date": (False, "string"),
    "domain": (True, "string"),
    "techniques": (True, "array"),
    "impact": (True, "string"),
    "themes": (True, "array"),
    "summary": (True, "string"),
    "nuance": (True, "string"),
    "questions": (True, "array"),
    "core_question": (True, "integer"),
    "related": (True, "array"),
    "sources": (True, "array"),
    "status": (True, "string"),
    "status_note": (True, "string"),
    "do_not_say": (True, "array"),
    "content_warning": (False, "string"),
}

_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_URL = r"^https?://[^\s/]+\.[^\s]*$"
_TYPES = {"string": str, "integer": int, "array": list, "object": dict}
_SHORT_TITLE_MAX = 32
_TEXT_LIMITS = {"summary": (200, 1600), "nuance": (100, 900)}
_TEXT_FIELDS = ("title", "short_title", "date", "summary", "nuance", "content_warning")


class CaseLibraryError(ValueError):
    """Raised when a case-library file breaks the schema; the message lists every problem."""


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _strings(case: dict) -> Iterator[tuple[str, str]]:
    """Every human-readable string in a case, with the field it came from."""
    for field in _TEXT_FIELDS:
        if isinstance(case.get(field), str):
            yield field, case[field]
    if isinstance(case.get("status_note"), str) and case["status_note"]:
        yield "status_note", case["status_note"]  # may be empty when everything is verified
    for field in ("questions", "do_not_say"):
        for text in case.get(field) or []:
            if isinstance(text, str):
                yield field, text
    for field, key in (("related", "note"), ("sources", "outlet"), ("sources", "note")):
        for item in case.get(field) or []:
            if isinstance(item, dict) and isinstance(item.get(key), str):
                yield f"{field}.{key}", item[key]


def _check_text(where: str, field: str, text: str) -> list[str]:
    found = []
    if not text.strip():
        found.append(f"{where}: {field} must not be empty")
    lowered = text.lower()
    for phrase, reason in UNVERIFIED_PHRASES.items():
        if phrase in lowered:
            found.append(f"{where}: {field} contains {phrase!r}, which the fact sheet flags ({reason})")
    if text.count("\u201c") != text.count("\u201d"):
        found.append(f"{where}: {field} has unbalanced quotation marks \u201c \u201d")
    return found


def _case_problems(case: Any, index: int) -> list[str]:
    if not isinstance(case, dict):
        return [f"cases[{index}] must be an object, got {type(case).__name__}"]
    where = f"case {case.get('id', f'#{index}')!r}"
    found = []
    for field, (required, kind) in CASE_FIELDS.items():
        if field not in case:
            if required:
                found.append(f"{where}: missing required field {field!r}")
        elif case[field] is None and not required:
            pass
        elif not _is_type(case[field], kind):
            found.append(f"{where}: {field} must be of type {kind}, got {type(case[field]).__name__}")
    unknown = sorted(set(case) - set(CASE_FIELDS))
    if unknown:
        found.append(f"{where}: unknown field(s) {unknown}; allowed: {sorted(CASE_FIELDS)}")
    if found:
        return found

    if not re.match(_SLUG, case["id"]):
        found.append(f"{where}: id must be a lowercase slug like 'welcome-to-chechnya'")
    if len(case["short_title"]) > _SHORT_TITLE_MAX:
        found.append(f"{where}: short_title must have at most {_SHORT_TITLE_MAX} characters")
    lo, hi = YEAR_RANGE
    if not lo <= case["year"] <= hi:
        found.append(f"{where}: year must be between {lo} and {hi}, got {case['year']}")
    if case.get("date") and str(case["year"]) not in case["date"]:
        found.append(f"{where}: date {case['date']!r} must mention the year {case['year']}")
    vocabularies = [("domain", DOMAINS), ("impact", IMPACTS), ("status", STATUSES)]
    for field, allowed in vocabularies:
        if case[field] not in allowed:
            found.append(f"{where}: {field} must be one of {sorted(allowed)}, got {case[field]!r}")
    for field, allowed in (("techniques", TECHNIQUES), ("themes", THEMES)):
        values = case[field]
        if not values:
            found.append(f"{where}: {field} must list at least one entry")
        if len(set(map(str, values))) != len(values):
            found.append(f"{where}: {field} has duplicates")
        for value in values:
            if value not in allowed:
                found.append(f"{where}: {field} entry {value!r} is not one of {sorted(allowed)}")
    for field, (shortest, longest) in _TEXT_LIMITS.items():
        if not shortest <= len(case[field]) <= longest:
            found.append(f"{where}: {field} must have {shortest}-{longest} characters, has {len(case[field])}")
    questions = case["questions"]
    if not 2 <= len(questions) <= 3:
        found.append(f"{where}: questions must list 2 or 3 discussion questions, got {len(questions)}")
    for q in questions:
        if not isinstance(q, str) or not q.rstrip().endswith("?"):
            found.append(f"{where}: every question must be a string ending with '?', got {q!r:.60}")
    if not 1 <= case["core_question"] <= len(questions):
        found.append(f"{where}: core_question must be the number of one of its {len(questions)} questions "
                     f"(1 = the first), got {case['core_question']}")
    if case["status"] == "secondary" and not case["status_note"].strip():
        found.append(f"{where}: status 'secondary' needs a status_note saying which items are secondary")
    if not all(isinstance(d, str) and d.strip() for d in case["do_not_say"]):
        found.append(f"{where}: do_not_say entries must be non-empty strings")
    if case.get("content_warning") is not None and not case["content_warning"].strip():
        found.append(f"{where}: content_warning must be null or a non-empty string")
    if case["impact"] in HARM_IMPACTS and not (case.get("content_warning") or "").strip():
        found.append(f"{where}: a case with impact {case['impact']!r} needs a content_warning saying what harmful "
                     "material the card describes and how (e.g. 'Fraud with a cloned voice (described, not played).')")
    found += _source_problems(where, case["sources"])
    found += _link_shape_problems(where, case["related"])
    for field, text in _strings(case):
        found += _check_text(where, field, text)
    return found


def _source_problems(where: str, sources: list) -> list[str]:
    found = []
    if not sources:
        found.append(f"{where}: sources must list at least one source")
    urls = []
    for i, source in enumerate(sources):
        if not isinstance(source, dict) or set(source) - {"outlet", "url", "note"}:
            found.append(f"{where}: sources[{i}] must be an object with outlet, url and optional note")
            continue
        if not isinstance(source.get("outlet"), str) or not source["outlet"].strip():
            found.append(f"{where}: sources[{i}] needs the outlet's name")
        url = source.get("url")
        if not isinstance(url, str) or not re.match(_URL, url):
            found.append(f"{where}: sources[{i}].url must be an http(s) address, got {url!r}")
        urls.append(url)
    if len(set(urls)) != len(urls):
        found.append(f"{where}: sources list the same URL twice")
    return found


def _link_shape_problems(where: str, related: list) -> list[str]:
    found = []
    for i, link in enumerate(related):
        if not isinstance(link, dict) or set(link) != {"id", "relation", "note"}:
            found.append(f"{where}: related[{i}] must be an object with exactly id, relation and note")
        elif link["relation"] not in RELATIONS:
            found.append(f"{where}: related[{i}].relation must be one of {sorted(RELATIONS)}, got {link['relation']!r}")
    return found


def _link_problems(cases: list[dict]) -> list[str]:
    by_id = {c["id"]: c for c in cases}
    found = []
    for case in cases:
        where = f"case {case['id']!r}"
        seen = set()
        for link in case["related"]:
            other, relation = link["id"], link["relation"]
            if (other, relation) in seen:
                found.append(f"{where}: related lists {other!r} as {relation!r} twice")
            seen.add((other, relation))
            if other == case["id"]:
                found.append(f"{where}: related links to itself")
            elif other not in by_id:
                found.append(f"{where}: related id {other!r} is not a case in the library")
            else:
                inverse = RELATIONS[relation][1]
                back = {(l["id"], l["relation"]) for l in by_id[other]["related"]}
                if (case["id"], inverse) not in back:
                    found.append(
                        f"{where}: links to {other!r} as {relation!r}, but {other!r} lacks the inverse link "
                        f"{{'id': {case['id']!r}, 'relation': {inverse!r}}}"
                    )
    return found


def _thread_problems(threads: Any, by_id: dict[str, dict]) -> list[str]:
    if not isinstance(threads, list):
        return ["threads must be a list"]
    found, ids = [], set()
    for i, thread in enumerate(threads):
        keys = {"id", "kind", "title", "via", "note", "stages"}
        if not isinstance(thread, dict) or set(thread) != keys:
            found.append(f"threads[{i}] must be an object with exactly the keys {sorted(keys)}")
            continue
        where = f"thread {thread['id']!r}"
        if not isinstance(thread["id"], str) or not re.match(_SLUG, thread["id"]):
            found.append(f"{where}: id must be a lowercase slug")
        if thread["id"] in ids:
            found.append(f"{where}: id is used twice")
        ids.add(thread["id"])
        if thread["kind"] not in THREAD_KINDS:
            found.append(f"{where}: kind must be one of {sorted(THREAD_KINDS)}, got {thread['kind']!r}")
        for key in ("title", "via", "note"):
            if not isinstance(thread[key], str) or not thread[key].strip():
                found.append(f"{where}: {key} must be a non-empty string")
            else:
                found += _check_text(where, key, thread[key])
        stages = thread["stages"]
        if not isinstance(stages, list) or len(stages) < 2:
            found.append(f"{where}: stages must be a list of at least two stages")
            continue
        roles = []
        for j, stage in enumerate(stages):
            if not isinstance(stage, dict) or not {"label", "cases"} <= set(stage) <= {"label", "cases", "role"}:
                found.append(f"{where}: stages[{j}] must be an object with label, cases and optional role")
                continue
            role = stage.get("role")
            roles.append(role)
            if thread["kind"] == "repurposing" and role not in STAGE_ROLES:
                found.append(f"{where}: stages[{j}].role must be one of {sorted(STAGE_ROLES)}, got {role!r}")
            if not isinstance(stage["cases"], list) or not stage["cases"]:
                found.append(f"{where}: stages[{j}] must list at least one case")
                continue
            for case_id in stage["cases"]:
                if case_id not in by_id:
                    found.append(f"{where}: stages[{j}] names {case_id!r}, which is not a case in the library")
                elif role in STAGE_ROLES and by_id[case_id]["impact"] not in STAGE_ROLES[role]:
                    found.append(
                        f"{where}: case {case_id!r} has impact {by_id[case_id]['impact']!r}, which does not fit "
                        f"a {role!r} stage (allowed: {', '.join(STAGE_ROLES[role])})"
                    )
        if thread["kind"] == "repurposing" and roles and (roles[0] != "benevolent" or "harmful" not in roles):
            found.append(f"{where}: a repurposing thread must start with a 'benevolent' stage and have a 'harmful' one")
    return found


def problems(data: Any) -> list[str]:
    """List every way ``data`` breaks the case-library schema.

    Parameters
    ----------
    data : Any
        The parsed JSON of a case-library file: an object with
        ``schema_version``, ``cases`` and ``threads``.

    Returns
    -------
    list of str
        One plain-language message per problem; empty if the library is valid.
    """
    if not isinstance(data, dict):
        return [f"the case library must be a JSON object, got {type(data).__name__}"]
    found = []
    if data.get("schema_version") != SCHEMA_VERSION:
        found.append(f"schema_version must be {SCHEMA_VERSION}, got {data.get('schema_version')!r}")
    unknown = sorted(set(data) - {"schema_version", "cases", "threads"})
    if unknown:
        found.append(f"unknown top-level key(s) {unknown}")
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        return found + ["cases must be a non-empty list"]
    for i, case in enumerate(cases):
        found += _case_problems(case, i)
    if found:
        return found
    ids = [c["id"] for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        found.append(f"case ids must be unique; repeated: {duplicates}")
    found += _link_problems(cases)
    found += _thread_problems(data.get("threads", []), {c["id"]: c for c in cases})
    return found


def validate(data: Any) -> Any:
    """Return ``data`` unchanged if it is a valid case library.

    Raises
    ------
    CaseLibraryError
        Listing every problem found by :func:`problems`.
    """
    found = problems(data)
    if found:
        listing = "\n".join(f"  - {p}" for p in found)
        raise CaseLibraryError(f"the case library has {len(found)} problem(s):\n{listing}")
    return data


def json_schema() -> dict:
    """Return a JSON Schema (draft 2020-12) for the per-field rules of a case library.

    Useful for editors that validate JSON as you type. Cross-case rules
    (unique ids, links that resolve, inverse links, thread stages) are
    checked only by :func:`problems`.
    """
    string = {"type": "string", "minLength": 1}
    case_properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": _SLUG},
        "title": string,
        "short_title": {"type": "string", "minLength": 1, "maxLength": _SHORT_TITLE_MAX},
        "year": {"type": "integer", "minimum": YEAR_RANGE[0], "maximum": YEAR_RANGE[1]},
        "date": {"type": ["string", "null"]},
        "domain": {"enum": list(DOMAINS)},
        "techniques": {"type": "array", "items": {"enum": list(TECHNIQUES)}, "minItems": 1, "uniqueItems": True},
        "impact": {"enum": list(IMPACTS)},
        "themes": {"type": "array", "items": {"enum": list(THEMES)}, "minItems": 1, "uniqueItems": True},
        "questions": {"type": "array", "items": {"type": "string", "pattern": r"\?\s*$"}, "minItems": 2, "maxItems": 3},
        "core_question": {"type": "integer", "minimum": 1, "maximum": 3},
        "related": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string", "pattern": _SLUG}, "relation": {"enum": list(RELATIONS)},
                               "note": string},
                "required": ["id", "relation", "note"],
                "additionalProperties": False,
            },
        },
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {"outlet": string, "url": {"type": "string", "pattern": _URL}, "note": {"type": "string"}},
                "required": ["outlet", "url"],
                "additionalProperties": False,
            },
        },
        "status": {"enum": list(STATUSES)},
        "status_note": {"type": "string"},
        "do_not_say": {"type": "array", "items": string},
        "content_warning": {"type": ["string", "null"], "minLength": 1},
    }
    for field, (shortest, longest) in _TEXT_LIMITS.items():
        case_properties[field] = {"type": "string", "minLength": shortest, "maxLength": longest}
    stage = {
        "type": "object",
        "properties": {"label": string, "role": {"enum": list(STAGE_ROLES)},
                       "cases": {"type": "array", "items": {"type": "string", "pattern": _SLUG}, "minItems": 1}},
        "required": ["label", "cases"],
        "additionalProperties": False,
    }
    thread = {
        "type": "object",
        "properties": {"id": {"type": "string", "pattern": _SLUG}, "kind": {"enum": list(THREAD_KINDS)},
                       "title": string, "via": string, "note": string,
                       "stages": {"type": "array", "items": stage, "minItems": 2}},
        "required": ["id", "kind", "title", "via", "note", "stages"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Synthetic Media Workshop case library",
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "cases": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": case_properties,
                    "required": [f for f, (required, _) in CASE_FIELDS.items() if required],
                    "additionalProperties": False,
                    # A harmful case must carry a content note (see HARM_IMPACTS).
                    "if": {"properties": {"impact": {"enum": list(HARM_IMPACTS)}}},
                    "then": {"required": ["content_warning"],
                             "properties": {"content_warning": {"type": "string", "minLength": 1}}},
                },
            },
            "threads": {"type": "array", "items": thread},
        },
        "required": ["schema_version", "cases", "threads"],
        "additionalProperties": False,
    }
