"""Template families and editions: an excerpt in each edition's own wording (real text from
tests/corpus/) is named with the right family and edition, and a run-on PDF paragraph is cut
at the section numbers inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_redline.analysis import analyze_document
from policy_redline.document import Block, Document
from policy_redline.models import families, template
from policy_redline.segment import segment

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
LEXIPOL = "lexipol-immigration-violations"


def _body(name: str) -> str:
    """The text under a corpus file's header lines (`name` in tests/corpus/, or a path
    under tests/ for a held-out text)."""
    raw = ((TESTS / name) if "/" in name else (CORPUS / name)).read_text(encoding="utf-8")
    lines = raw.split("\n")
    k = 0
    while k < len(lines) and lines[k].strip():
        k += 1
    return "\n".join(lines[k:]).strip()


def _between(name: str, start: str, end: str) -> str:
    body = _body(name)
    i = body.index(start)
    return body[i : body.index(end, i) + len(end)]


def _analyse(text: str):
    blocks = tuple(Block(p.strip()) for p in text.split("\n") if p.strip())
    return analyze_document(Document("excerpt.txt", "", blocks))


# (family, edition, corpus file, first words, last words of the excerpt)
EXCERPTS = [
    (LEXIPOL, "lexipol-immigration-violations-ca-2016", "ca-santa-cruz-county-sheriff_428-immigration-violations.txt",
     "428.4 ARREST NOTIFICATION", "appropriate agency of the United States."),
    (LEXIPOL, "lexipol-immigration-violations-or", "or-forest-grove_412-immigration-violations.txt",
     "412.3 Victims & Witnesses", "(ORS 181A.820)."),
    (LEXIPOL, "lexipol-immigration-violations-ca-older", "sonoma-county-sheriff-ca_428-immigration-violations.txt",
     "428.2 BASIS FOR CONTACT", "or other protected classification."),
    (LEXIPOL, "lexipol-immigration-violations-tx", "tx-corpus-christi_332-immigration-violations.txt",
     "332.2 DEPARTMENT POLICY", "suspected undocumented aliens."),
    (LEXIPOL, "lexipol-immigration-violations-ca-2018", "csu-slo_428-immigration-violations.txt",
     "428.1.1 DEFINITIONS", "federal magistrate judge."),
    (LEXIPOL, "lexipol-immigration-violations-wa", "benton-county-wa_413-immigration-violations.txt",
     "413.1 PURPOSE AND SCOPE", "(RCW 43.10.315)."),
    ("ice-287g-moa", "ice-287g-moa-older", "ma-barnstable-county-sheriff_287g-moa-former.txt",
     "MEMORANDUM OF AGREEMENT", "identified in AppendixA."),
    ("ice-287g-moa", "ice-287g-moa-ma-doc", "ma-doc_287g-moa-former.txt",
     "MEMORANDUM OF AGREEMENT", "identified in Appendix A."),
    ("ice-287g-moa", "ice-287g-moa-2009", "ar-washington-county-sheriff_287g-moa-2009.txt",
     "I. PURPOSE", "only as provided in this MOA."),
    ("ice-287g-moa", "ice-287g-moa-jail-model", "ma-plymouth-county-sheriff_287g-jail-enforcement-moa.txt",
     "III. AUTHORITY", "functions of an immigration officer."),
    ("ny-model-immigration-policy", "ny-model-immigration-policy", "ny-justice-center_immigration-violation-policy-template-draft.txt",
     "Objective #2", "federal, state, or local law."),
    ("acce-rule-of-law-resolution", "acce-rule-of-law-resolution", "us-model_acce-rule-of-law-community-resolution.txt",
     "Section 1.", "in fact a Rule of Law Community"),
    ("vt-fair-impartial-policing", "vt-fair-impartial-policing", "vt-vcjc_model-fair-impartial-policing-policy-2024.txt",
     "PURPOSE", "may adopt additional components."),
    # The Department of Motor Vehicles' policy, in the first edition's closing words of its
    # policy statement (the 2024 edition's public copy is cut off before them).
    ("vt-fair-impartial-policing", "vt-fair-impartial-policing-2016", "heldout2/vt-dmv-enforcement_fair-and-impartial-policing-policy.txt",
     "To achieve these objectives", "community outreach/partnerships."),
    # Two New Jersey departments' pages, each in the words of the Attorney General's text it
    # repeats: the page's summary, and the press release's list of what officers cannot do.
    ("nj-immigrant-trust-directive", "nj-immigrant-trust-directive", "heldout3/nj-lakewood_pd-immigrant-trust-directive-page.txt",
     "The Directive is intended", "federal civil immigration law."),
    ("nj-immigrant-trust-directive", "nj-immigrant-trust-directive-press-release-2018", "heldout3/nj-lakewood_pd-immigrant-trust-directive-page.txt",
     "New Jersey’s police officers:", "office space, databases, or property."),
    ("cacp-position-statement", "cacp-position-statement", "heldout6/co-englewood-pd_cacp-position-statement-immigration-law.txt",
     "Colorado Association of Chiefs", "sanctuary to those"),
    # Two Illinois editions, before and after the Illinois TRUST Act (5 ILCS 805), each in a
    # department's words: ICE's requests for help, and the TRUST Act's notification and detainers.
    ("lexipol-immigration-violations", "lexipol-immigration-violations-il", "heldout17/il-urbana-pd_policy-413-immigration-violations.txt",
     "413.4.1 CIVIL VS. CRIMINAL", "for assistance from this department should be"),
    ("lexipol-immigration-violations", "lexipol-immigration-violations-il-2020", "heldout17/il-north-riverside-pd_policy-414-immigration-violations.txt",
     "414.5 ARREST NOTIFICATION", "prior to the release (5 ILCS 805/15)."),
]


@pytest.mark.parametrize("family, edition, name, start, end", EXCERPTS, ids=[e[1] for e in EXCERPTS])
def test_an_excerpt_in_an_editions_wording_is_named_correctly(family, edition, name, start, end):
    bp = _analyse(_between(name, start, end)).boilerplate
    assert bp.template == family
    assert bp.edition == edition
    assert bp.share >= 0.3


def test_the_massachusetts_edition_is_named_on_its_quoted_clauses():
    # The 8 USC 1373 clause as the CfJJ guide quotes it (Chicopee 413.6).
    mc = next(c for c in template().clauses if c.number == "413.6")
    bp = _analyse("413.6 INFORMATION SHARING\n" + mc.text).boilerplate
    assert (bp.template, bp.edition) == (LEXIPOL, LEXIPOL)


def test_every_edition_has_a_source_state_year_and_a_tested_excerpt():
    tested = {e[1] for e in EXCERPTS} | {LEXIPOL}
    for family, editions in families().items():
        for ed in editions:
            assert ed.source and ed.state and ed.year and ed.edition, ed.id
            assert ed.family == family
            assert ed.id in tested, ed.id
            assert all(c.maps_to for c in ed.clauses), ed.id


def test_clauses_map_across_editions_by_key():
    eds = {e.id: e for e in families()[LEXIPOL]}
    keys = {e: {c.key: c.number for c in ed.clauses} for e, ed in eds.items()}
    assert keys[LEXIPOL]["victims-witnesses"] == "413.3"
    assert keys["lexipol-immigration-violations-ca-2016"]["victims-witnesses"] == "428.3"
    assert keys["lexipol-immigration-violations-or"]["victims-witnesses"] == "412.3"


def test_agency_content_is_the_departments_own_words():
    text = _between("benton-county-wa_413-immigration-violations.txt", "413.1 PURPOSE", "court orders.")
    a = _analyse(text)
    definitions = next(c for c in a.clauses if c.number == "413.1.1")
    assert definitions.text.startswith("Agency Content")
    assert "413.1.1" not in a.boilerplate.clauses
    assert a.boilerplate.share < 0.5


def test_a_run_on_paragraph_is_cut_at_its_section_numbers():
    text = _body("csu-slo_428-immigration-violations.txt")
    assert "\n" not in text  # one run-on paragraph, as the PDF extraction delivered it
    clauses = segment(Document("slo.txt", "", (Block(text),)))
    assert [c.number for c in clauses if c.number[0].isdigit()] == ["428.1", "428.1.1", "428.2"]
    assert [c.heading for c in clauses if c.number[0].isdigit()] == ["PURPOSE AND SCOPE", "DEFINITIONS", "POLICY"]
    # Offsets still find each clause in the text as read.
    for c in clauses:
        assert text[c.start : c.end].strip().endswith(c.text.split()[-1])


def test_a_citation_inside_a_paragraph_does_not_cut_it():
    text = "No individual should be held based solely on a detainer under 8 CFR 287.7 unless 287.8 SAYS so and 287.9 OTHERWISE."
    clauses = segment(Document("x.txt", "", (Block("413.6.1 IMMIGRATION DETAINERS " + text),)))
    assert len(clauses) == 1


def test_a_manual_whose_agency_content_outweighs_the_template_is_still_named():
    # Benton County's excerpt: 30 words of Lexipol's purpose clause, then 245 words of
    # definitions the manual marks "Agency Content".
    a = _analyse(_body("benton-county-wa_413-immigration-violations.txt"))
    assert a.boilerplate.template == LEXIPOL
    assert a.boilerplate.edition == "lexipol-immigration-violations-wa"
    assert a.boilerplate.share < 0.2  # the definitions are the department's words


def test_a_run_on_agreement_is_cut_at_its_roman_section_numbers():
    # Barnstable County's former 287(g) agreement as the records site extracted it: one
    # paragraph, "... in AppendixA. I. PURPOSE The purpose ... II. AUTHORITY Section 287(g) ...".
    text = _body("ma-barnstable-county-sheriff_287g-moa-former.txt")
    assert "\n" not in text
    clauses = segment(Document("barnstable.txt", "", (Block(text),)))
    assert [(c.number, c.heading) for c in clauses][1:] == [("I", "PURPOSE"), ("II", "AUTHORITY")]
    assert clauses[0].text.endswith("identified in AppendixA.")
    for c in clauses:
        assert text[c.start : c.end].strip().endswith(c.text.split()[-1])
    # The statute is cited "Public Law 107-276" here and "Pub. L. No. 107-296" in the Jail
    # Enforcement Model: both are one sentence, and the whole agreement is the ICE template.
    a = _analyse(text)
    assert a.boilerplate.template == "ice-287g-moa"
    assert a.boilerplate.share >= 0.875


def test_a_section_number_left_at_the_end_of_a_paragraph_goes_with_its_heading():
    # The Massachusetts DOC's former agreement: "... identified in Appendix A. I." / "PURPOSE".
    text = _body("ma-doc_287g-moa-former.txt")
    clauses = segment(Document("doc.txt", "", tuple(Block(p) for p in text.split("\n"))))
    assert [(c.number, c.heading) for c in clauses][1] == ("I", "PURPOSE")
    assert clauses[0].text.endswith("identified in Appendix A.")


def test_roman_numerals_that_do_not_run_in_order_do_not_cut_a_paragraph():
    text = ("Officers shall follow Title VI. CIVIL RIGHTS guidance and Part IV. DEFINITIONS of the "
            "manual. Nothing here creates a right.")
    assert len(segment(Document("x.txt", "", (Block(text),)))) == 1


def test_analyze_names_the_template_clauses_the_department_changed():
    # Chicopee's 413.8 adds "A review of this policy shall be included in the annual
    # in-service training for all sworn members." to Lexipol's training clause; every other
    # section is the template's, word for word.
    import json

    from conftest import ROOT, run_cli

    policy = ROOT / "policies" / "chicopee-413.md"
    text = run_cli("analyze", str(policy))
    assert text.returncode == 0, text.stderr
    line = next(ln for ln in text.stdout.decode().splitlines() if ln.startswith("Boilerplate:"))
    assert line.endswith("10 of 10 template clauses (10 of 10 policy clauses); changed by the department: 413.8.")
    data = json.loads(run_cli("analyze", str(policy), "--format", "json").stdout)
    assert data["boilerplate"]["changed"] == ["413.8"]
    assert data["boilerplate"]["dropped"] == []
    page = run_cli("onepager", str(policy))
    assert page.returncode == 0, page.stderr
    assert "(10 of 10 clauses; the department changed 413.8)" in page.stdout.decode()


@pytest.mark.parametrize("name", ["ca-uc-santa-cruz-pd_428-immigration-violations.txt",
                                  "ma-barnstable-county-sheriff_287g-moa-former.txt",
                                  "benton-county-wa_413-immigration-violations.txt"])
def test_compare_recognises_the_edition_as_analyze_does(name):
    # `compare` aligns each edition only with the clauses its family matches at all; what it
    # recognises must be what aligning every clause with every edition gives (UC Santa Cruz
    # mixes three editions).
    from policy_redline.align import Aligner, recognise
    from policy_redline.compare import recognised
    from policy_redline.models import templates

    clauses = segment(Document(name, "", tuple(Block(p) for p in _body(name).split("\n") if p.strip())))
    full = recognise(clauses, {t.id: Aligner(clauses).matches(t) for t in templates()}, templates(), Aligner(clauses))
    assert recognised(clauses, Aligner(clauses)) == full
    assert full.template is not None
