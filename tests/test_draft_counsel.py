"""Drafts town counsel would sign (issue 14): no contradictions, no doubles, in order, every
reference real, the approving body from data or asked for, nothing drafted for a policy that
is not about immigration, and a draft drafted again is the same draft.

Every policy here is invented (invented towns, our own words), one per numbering scheme the
segmenter reads: Lexipol's 413.x, plain 1./2., outlines I./A./1./(a), and unnumbered
headings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli
from draft_checks import assert_drafted_well, topic_sections

from policy_redline import numbering
from policy_redline.analysis import analyze, analyze_document
from policy_redline.draft import NeedsOption, NotAboutImmigration, draft
from policy_redline.ingest import read_policy

LEXIPOL = """Marlow Police Department
Policy Manual

Policy 413
Immigration Violations

413.1 PURPOSE AND SCOPE
This policy gives members of the Marlow Police Department guidance on matters of immigration.

413.2 POLICY
It is the policy of the Marlow Police Department that all members make a personal commitment to equal enforcement of the law and equal service to the public.

413.3 VICTIMS AND WITNESSES
To encourage crime reporting, officers should not ask victims or witnesses about their immigration status.

413.4 INFORMATION SHARING
No officer shall share information about any person with federal immigration authorities except where required by law.

413.5 DETENTIONS
An officer may detain a person on suspicion of an immigration violation when requested by federal immigration authorities.

413.6 FEDERAL REQUESTS FOR ASSISTANCE
Officers may provide assistance to federal immigration officers on request.

413.7 TRAINING
The Training Sergeant shall provide training on this policy.
"""

PLAIN = """Ashby Falls Police Department
Immigration Policy

1. Purpose
This policy tells officers of the Ashby Falls Police Department how to deal with federal immigration matters.

2. Status checks
Officers shall not ask any person about immigration status.

3. 287(g) agreements
The Ashby Falls Police Department shall not enter into any agreement under section 287(g) of the Immigration and Nationality Act.

4. Detainers
Officers may honor an immigration detainer from ICE and hold the person for up to 48 hours.
"""

OUTLINE = """Town of Pellham Police Department
General Order 2-14: Immigration Enforcement

I. PURPOSE
A. This order guides Pellham officers in contacts with federal immigration authorities.
II. PROCEDURES
A. Status
1. Officers shall not inquire about the immigration status of any person.
B. Detainers
1. Officers shall honor civil immigration detainers.
2. Officers shall notify ICE of the release date of any person subject to a detainer.
III. TRAINING
A. All officers shall be trained on this order.
"""

HEADINGS = """# Quarry Hill Police Department: Immigration

## Purpose

This policy guides members of the Quarry Hill Police Department.

## Information sharing

Officers shall not share release dates with ICE. Officers may share any other information with ICE on request.

## Training

All members shall be trained on this policy each year.
"""

PURSUIT = """Dunmore Police Department

Policy 314: Vehicle Pursuits

314.1 PURPOSE AND SCOPE
This policy gives officers guidance on when to begin and end a vehicle pursuit.

314.2 WHEN TO PURSUE
An officer may begin a pursuit when a driver refuses to stop and the officer believes the driver committed a felony.

314.3 ENDING A PURSUIT
A supervisor shall end a pursuit when the danger to the public outweighs the need to apprehend the driver.
"""

# A town code chapter: its list of sections, then each section with lettered subsections.
CODE = """Chapter 9.10
RIGHTS OF IMMIGRANTS IN MARROW BAY

Sections:

9.10.010 No City enforcement of immigration laws.

9.10.020 No inquiries into citizenship.

9.10.010 No City enforcement of immigration laws.

A. No agent, officer or employee of the City shall assist United States Immigration and Customs Enforcement in the investigation or arrest of any person for a civil violation of the immigration laws.

B. Except for subsection (A) of this section, this chapter does not prohibit the Marrow Bay Police Department from carrying out its duties under state law.

9.10.020 No inquiries into citizenship.

A. No agent, officer or employee of the City shall inquire about the citizenship or immigration status of any person.
"""

# A general order as a records request delivers it: one paragraph, its sections inside it.
RUNON = ("5.15 Marrow Bay Police Department GENERAL ORDER Rev. 07/05/17 ENFORCEMENT OF IMMIGRATION LAWS "
         "The purpose of this order is to set out the Department's role with federal immigration authorities. "
         "I. POLICY. It is the policy of the Marrow Bay Police Department to foster respect and trust between "
         "the Department and every community it serves. Members shall not inquire about the immigration status "
         "of any person. II. STATE AND LOCAL LAW. Members shall not detain any person on a civil immigration "
         "detainer, and shall not give federal immigration authorities any information about any person.\n")

BOARD = "the Select Board"  # none of these invented towns is in the table


def _policy(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SCHEMES = [("marlow-413.txt", LEXIPOL), ("ashby-falls.txt", PLAIN), ("pellham-go.txt", OUTLINE), ("quarry-hill.md", HEADINGS),
           ("marrow-bay-code.txt", CODE)]


@pytest.mark.parametrize("name,text", SCHEMES, ids=[n for n, _ in SCHEMES])
def test_every_scheme_drafts_in_order_green_with_no_doubles_and_real_references(tmp_path, name, text):
    before = analyze(_policy(tmp_path, name, text))
    amendment = draft(before, board=BOARD)
    after = analyze_document(amendment.document())
    assert [f.verdict for f in after.scorecard.findings] == ["green"] * 7
    numbers = [c.number for c in after.clauses]
    assert numbering.in_order(numbers), numbers  # these policies are in order, so is the draft
    assert_drafted_well(before, amendment, after)
    # no heading above the title: the draft starts with the policy's own first lines
    first = [p for p in amendment.paragraphs if p.amended][:2]
    assert all(p.original == p.amended for p in first)


def test_new_sections_after_a_run_on_paragraph_are_numbered_after_its_last_section(tmp_path):
    # San Francisco's order 5.15 as DocumentCloud's text has it: "5.15 … I. POLICY … II. …"
    # in one paragraph. What the draft adds goes after the paragraph, so it is III, IV, …,
    # not a 5.15.1 printed after II.
    before = analyze(_policy(tmp_path, "marrow-bay-go.txt", RUNON))
    assert [c.number for c in before.clauses] == ["5.15", "I", "II"]
    amendment = draft(before, board=BOARD)
    after = analyze_document(amendment.document())
    numbers = [c.number for c in after.clauses]
    assert numbers[:4] == ["5.15", "I", "II", "III"], numbers
    assert numbering.disorder(numbers) <= numbering.disorder(["5.15", "I", "II"])
    assert_drafted_well(before, amendment, after)


def test_a_section_the_policy_has_is_amended_in_place_never_added_twice(tmp_path):
    # Marlow's 413.4 INFORMATION SHARING is green; its 413.6 offers help on request (red).
    amendment = draft(analyze(_policy(tmp_path, "marlow.txt", LEXIPOL)), board=BOARD)
    headings = [p.amended for p in amendment.paragraphs if p.kind == "heading" and p.amended]
    assert sum("INFORMATION SHARING" in h for h in headings) == 1
    replaced = {(c.clause, c.model_clause) for c in amendment.changes if c.action == "replace"}
    assert ("413.4", "model-policy:4") in replaced or ("413.6", "model-policy:4") not in replaced
    inserted = {c.model_clause for c in amendment.changes if c.action == "insert"}
    assert "model-policy:4" not in inserted  # the model's information-sharing clause went into 413.4
    text = "\n".join(p.amended for p in amendment.paragraphs)
    assert "Officers may provide assistance to federal immigration officers on request." not in text
    # Ashby Falls bans 287(g) agreements itself: no second 287(g) section
    ashby = draft(analyze(_policy(tmp_path, "ashby.txt", PLAIN)), board=BOARD)
    assert not any(c.question == "agreements_287g" and c.action == "insert" for c in ashby.changes)
    assert sum("287(g)" in p.amended for p in ashby.paragraphs if p.kind == "heading") <= 1
    # its "4. Detainers" holds the model's detainer language under its own heading and number
    assert any(p.original == "4. Detainers" and p.amended == "4. Detainers" for p in ashby.paragraphs)
    assert topic_sections(analyze_document(ashby.document()))["detainers"] == ["4"]


def test_inserted_sections_take_sub_numbers_so_existing_numbers_stand(tmp_path):
    marlow = draft(analyze(_policy(tmp_path, "marlow.txt", LEXIPOL)), board=BOARD)
    kept = [p.amended.split()[0] for p in marlow.paragraphs if p.original and p.original.startswith("413.")]
    assert kept == ["413.1", "413.2", "413.3", "413.4", "413.5", "413.6", "413.7"]
    inserted = [c.clause for c in marlow.changes if c.action == "insert"]
    assert inserted and all(n.count(".") == 2 for n in inserted)  # 413.5.1 after 413.5, …
    # the definitions follow the policy's opening sections, never above its title
    heads = [p.amended for p in marlow.paragraphs if p.kind == "heading" and p.amended]
    assert heads.index(next(h for h in heads if h.endswith("DEFINITIONS"))) > heads.index("413.1 PURPOSE AND SCOPE")

    ashby = draft(analyze(_policy(tmp_path, "ashby.txt", PLAIN)), board=BOARD)
    numbers = [c.number for c in analyze_document(ashby.document()).clauses]
    assert numbers[:4] == ["1", "1.1", "2", "2.1"]  # 1.1 Definitions after 1. Purpose
    assert numbers[numbers.index("4") + 1 :] == ["5", "6", "7"]  # new sections after 4. continue it

    pellham = draft(analyze(_policy(tmp_path, "pellham.txt", OUTLINE)), board=BOARD)
    numbers = [c.number for c in analyze_document(pellham.document()).clauses]
    assert numbering.in_order(numbers)
    assert "I.B" in numbers and any(n.startswith("II.") and len(n) == 4 for n in numbers[3:])  # II.C, II.D …
    assert numbers[-1] == "III.A"  # III. TRAINING stays last and keeps its number


def test_every_reference_in_new_text_points_at_a_section_of_the_draft(tmp_path):
    marlow = draft(analyze(_policy(tmp_path, "marlow.txt", LEXIPOL)), board=BOARD)
    text = "\n".join(p.amended for p in marlow.paragraphs)
    assert "(see Immigration status inquiries)" not in text
    assert "(see section 413.3)" in text  # Marlow's own section on status questions
    # the detainer and operations clauses speak of "the log of contacts": the clause that keeps it is in
    assert "log of contacts with federal immigration authorities that this policy requires" in text
    assert "shall keep a log of every contact with federal immigration authorities" in text
    refs = {c.model_clause for c in marlow.changes if c.action == "insert"}
    assert "model-policy:11" in refs


def test_the_model_clauses_declare_what_they_need():
    from policy_redline.models import model_policy

    clauses = {mc.number: mc for mc in model_policy().clauses}
    assert "11" in clauses["6"].needs and "11" in clauses["7"].needs  # the log of contacts
    assert "3" in clauses["4"].needs  # "(see Immigration status inquiries)"
    assert all(n in clauses for mc in clauses.values() for n in mc.needs)
    assert clauses["4"].on_topic("413.6 INFORMATION SHARING") and not clauses["4"].on_topic("TRAINING")


def test_the_approving_body_comes_from_the_table_or_is_asked_for(tmp_path):
    # Chicopee is a city in the table: its City Council approves, and the report says so
    result = run_cli("draft", str(Path(__file__).parents[1] / "policies" / "chicopee-413.md"), "--format", "json")
    import json

    data = json.loads(result.stdout)
    assert data["board"] == "the City Council"
    sources = {f["name"]: f["from"] for f in data["fill_ins"]}
    assert "table of Massachusetts municipalities" in sources["board"] and sources["department"] == "the policy's text"
    # an invented town: not guessed; one line asking for --board, exit 2
    ashby = _policy(tmp_path, "ashby.txt", PLAIN)
    asked = run_cli("draft", str(ashby), "--format", "md")
    assert asked.returncode == 2
    err = asked.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "--board" in err
    with pytest.raises(NeedsOption):
        draft(analyze(ashby))
    given = run_cli("draft", str(ashby), "--format", "json", "--board", "the Town Council")
    data = json.loads(given.stdout)
    assert data["board"] == "the Town Council" and {"name": "board", "value": "the Town Council", "from": "--board"} in data["fill_ins"]
    # a policy that names its own approving body is taken at its word
    named = _policy(tmp_path, "named.txt", PLAIN.replace("matters.", "matters, as the Ashby Falls Town Council directs."))
    assert draft(analyze(named)).names.board == "the Town Council"
    # outside Massachusetts the table is not used, even for a name in it
    oregon = _policy(tmp_path, "bedford-or.txt", PLAIN.replace("Ashby Falls", "Bedford") + "\nThis policy follows Oregon law. Oregon officers ...\n")
    with pytest.raises(NeedsOption):
        draft(analyze(oregon))


def test_a_policy_not_about_immigration_is_not_amended(tmp_path):
    pursuit = _policy(tmp_path, "dunmore-314.txt", PURSUIT)
    with pytest.raises(NotAboutImmigration):
        draft(analyze(pursuit), board=BOARD)
    result = run_cli("draft", str(pursuit), "--format", "text", "--board", BOARD)
    assert result.returncode == 1 and result.stdout == b""
    assert len(result.stderr.decode().strip().splitlines()) == 1
    alone = run_cli("draft", str(pursuit), "--format", "md", "--clean", "--standalone", "--board", BOARD)
    assert alone.returncode == 0
    text = alone.stdout.decode()
    assert "Dunmore Police Department" in text and "Vehicle" not in text and "pursuit" not in text.lower()
    doc = read_policy(_policy(tmp_path, "alone.md", text))
    assert [f.verdict for f in analyze_document(doc).scorecard.findings] == ["green"] * 7


# A statute lettered (a), (b), (c) that the segmenter reads as one section, a bill's blanks to
# fill in ("CHAPTER ______") and a title set over two long headings: each once came back
# different when its draft was drafted again.
STATUTE = """Harbor City Code § 12-4. Cooperation with federal immigration authorities.

(a) No agency of Harbor City shall hold a person in custody on a civil immigration detainer after the person would otherwise be released, and no agency shall notify federal immigration authorities of a person's release date; except that no agency shall be required to:

(1) Refuse a judicial warrant; or

(2) Refuse to answer a court.

(b) No agency of Harbor City shall inquire into the immigration status of a person.

(c) The Harbor City Police Department shall train its employees on this section.
"""

BILL = """# EXECUTIVE ORDER NO. ____-26

# POLICY OF THE CITY OF HARBOR FALLS ON FEDERAL IMMIGRATION DETAINERS, NOTIFICATION REQUESTS AND THE RELEASE OF PERSONS IN CUSTODY

CHAPTER ______

The Harbor Falls Police Department shall not honor a civil immigration detainer. Officers may notify ICE of a person's release date when ICE asks.

Signed: ________________ Mayor
"""

# Bullets under a lead-in: in a text draft each item must stay an item ("- "), or read alone
# "Permit ICE agents to use College facilities …" is a red flag the policy never raised.
CAMPUS = """If federal immigration agents come to the campus of the Brookfield College Police Department, employees follow this protocol.
1. Any employee approached by ICE agents shall contact the Brookfield College Police Department at once.
2. Agents who have no warrant will be asked to leave the campus.
3. Neither officers nor staff of the Brookfield College Police Department shall:
• Release non-public information about any person to federal immigration officials without a judicial warrant.
• Permit ICE agents to use College facilities for interviews or interrogations to enforce federal immigration laws.
"""

ROUND_TRIP = [(name, text, fmt) for name, text in SCHEMES[:3] for fmt in ("text", "md", "html")]
ROUND_TRIP += [("brookfield-college.txt", CAMPUS, "text")]
ROUND_TRIP += [("marlow-413.txt", LEXIPOL, "docx"), ("pellham-go.txt", OUTLINE, "docx"),
               ("harbor-city.txt", STATUTE, "text"), ("harbor-falls.md", BILL, "md")]
# Texas SB 108 (2017), tests/heldout4: its enacting clause "BE IT ENACTED BY THE LEGISLATURE OF
# THE STATE OF TEXAS:" ends with a colon and is in no section; the second draft once read the
# inserted funds-and-resources section as its list and struck the section's first sentence.
SB108 = (Path(__file__).resolve().parent / "heldout4"
         / "tx-texas_sb108-2017-immigration-enforcement-places-of-worship-hospitals-schools-courthouses.txt")



@pytest.mark.parametrize("name,text,fmt", ROUND_TRIP, ids=[f"{n}-{f}" for n, _, f in ROUND_TRIP])
def test_drafting_a_draft_again_gives_the_same_bytes(tmp_path, name, text, fmt):
    source = _policy(tmp_path, name, text)
    suffix = {"text": "txt", "md": "md", "html": "html", "docx": "docx"}[fmt]
    if fmt == "docx":  # a Word draft drafted again: the draft's own package, edited, and nothing to edit
        first_path, again_path = tmp_path / "draft.docx", tmp_path / "again.docx"
        first = run_cli("draft", str(source), "--clean", "--board", BOARD, "-o", str(first_path))
        assert first.returncode == 0, first.stderr
        again = run_cli("draft", str(first_path), "--clean", "--board", BOARD, "-o", str(again_path))
        assert again.returncode == 0, again.stderr
        assert again_path.read_bytes() == first_path.read_bytes()
        assert read_policy(first_path).title == read_policy(source).title  # its title is the policy's, not a heading
        return
    first = run_cli("draft", str(source), "--format", fmt, "--clean", "--board", BOARD)
    assert first.returncode == 0, first.stderr
    again = run_cli("draft", str(_policy(tmp_path, f"draft.{suffix}", first.stdout.decode())), "--format", fmt, "--clean", "--board", BOARD)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    if name == "harbor-falls.md":
        assert first.stdout.decode().startswith("# EXECUTIVE ORDER NO. ____-26\n")  # the blank kept, the title not written twice
    if fmt == "text":  # the title's "===" underline is read back as the title, not a paragraph
        reread = read_policy(_policy(tmp_path, "again.txt", first.stdout.decode()))
        assert not any(set(b.text) == {"="} for b in reread.blocks)


def test_a_bills_enacting_clause_is_no_sections_lead_in_when_its_draft_is_drafted_again(tmp_path):
    source = _policy(tmp_path, "tx-sb108.txt", SB108.read_text(encoding="utf-8").split("\n\n", 1)[1])
    names = ("--town", "Harlow Falls", "--board", BOARD)
    first = run_cli("draft", str(source), "--format", "text", "--clean", *names)
    assert first.returncode == 0, first.stderr
    assert "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:" in first.stdout.decode()
    again = run_cli("draft", str(_policy(tmp_path, "draft.txt", first.stdout.decode())), "--format", "text", "--clean", *names)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def _pdf_with_running_lines(path: Path, paragraphs: list[str], head: str, foot: str) -> Path:
    from fpdf import FPDF

    class _PDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, head, new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, foot.format(page=self.page_no()), align="C")

    pdf = _PDF(format="Letter")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for text in paragraphs:
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def test_pdf_running_heads_and_feet_are_left_out_of_clauses_even_on_one_page(tmp_path):
    paragraphs = [line for line in LEXIPOL.split("\n") if line.strip()]
    pdf = _pdf_with_running_lines(tmp_path / "marlow.pdf", paragraphs, "Marlow PD Policy Manual",
                                  "Marlow Police Department Policy Manual Page {page}")
    doc = read_policy(pdf)
    text = doc.text
    assert "Policy Manual Page" not in text and "Marlow PD Policy Manual" not in text
    assert "413.5 DETENTIONS" in text  # the policy itself is all there
    amendment = draft(analyze(pdf), board=BOARD)
    assert not any("Page 1" in p.amended for p in amendment.paragraphs)
    # over several pages too (where the lines also repeat)
    long = _pdf_with_running_lines(tmp_path / "long.pdf", paragraphs * 6, "Marlow PD Policy Manual",
                                   "Copyright Lexipol, LLC 2025/01/01, All Rights Reserved. Published with permission by Marlow Police Department - {page}")
    long_text = read_policy(long).text
    assert "Lexipol" not in long_text and "Marlow PD Policy Manual" not in long_text


def test_a_section_the_draft_takes_out_takes_its_heading_and_the_references_to_it():
    from policy_redline.draft import _no_empty_sections, _real_references
    from policy_redline.redline import RedlineParagraph as P

    paras = [
        P("413.3 STATUS", "413.3 STATUS", "heading", 2), P("Officers shall not ask about status.", "Officers shall not ask about status."),
        P("413.4 TRAFFIC CONTROL", "413.4 TRAFFIC CONTROL", "heading", 2), P("Officers may direct traffic for ICE.", ""),
        P("413.5 TRAINING", "413.5 TRAINING", "heading", 2),
        P("Officers shall be trained (see 413.4). See 413.4 for what officers may do. Read 413.3 too.",
          "Officers shall be trained (see 413.4). See 413.4 for what officers may do. Read 413.3 too."),
        P("", "Because the department keeps no such record (see section 413.9), it shares none."),
    ]
    out = _real_references(_no_empty_sections(paras), {"413.3", "413.4", "413.5"})
    assert out[2].amended == "" and out[2].original == "413.4 TRAFFIC CONTROL"  # no heading over nothing
    assert out[5].amended == "Officers shall be trained. Read 413.3 too."
    assert out[6].amended == "Because the department keeps no such record, it shares none."
    assert out[0].amended == "413.3 STATUS" and out[4].amended == "413.5 TRAINING"


def test_the_table_lists_all_351_massachusetts_municipalities_each_with_its_source():
    from policy_redline.draft import massachusetts_places, place_key

    places = massachusetts_places()
    municipalities = {p.municipality: p for p in places.values()}
    assert len(municipalities) == 351
    forms = [p.form for p in municipalities.values()]
    assert forms.count("city") == 45 and forms.count("town council") == 14
    assert sum(f.startswith("town: ") for f in forms) == 292  # open or representative town meeting
    text = (Path(__file__).parents[1] / "models" / "places" / "massachusetts.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^- ([^:]+): ", text, re.M))
    assert "MMA directory 2019–2020" in named and "compiled | 2026-11-25" in text
    for place in municipalities.values():  # every row says where it comes from, in sources the file lists
        assert place.source and set(place.source.split("; ")) <= named, place
        assert place.board == {"city": "the City Council", "town council": "the Town Council"}.get(place.form, place.board)
    # the cities known as towns have a Town Council; towns that became cities by name have a City Council
    for town in ("Agawam", "Barnstable", "Braintree", "Franklin", "Weymouth", "West Springfield", "Winthrop"):
        assert municipalities[town].board == "the Town Council", town
    assert municipalities["Watertown"].board == "the City Council" and municipalities["Boston"].form == "city"
    assert municipalities["Brookline"].form == "town: representative town meeting"
    assert municipalities["Wakefield"].board == "the Town Council"  # its executive, beside an open town meeting
    # names as records write them
    assert places[place_key("Foxboro")].municipality == "Foxborough"
    assert places[place_key("Town of Bedford")].municipality == "Bedford"
    assert places[place_key("Manchester")].municipality == "Manchester-by-the-Sea"
    assert places[place_key("Mt. Washington")].municipality == "Mount Washington"


def test_a_massachusetts_town_gets_its_body_from_the_table_and_the_report_says_where_each_name_came_from(tmp_path):
    import json

    text = PLAIN.replace("Ashby Falls", "Braintree") + "\nThis policy follows Lunn v. Commonwealth and Massachusetts law.\n"
    result = run_cli("draft", str(_policy(tmp_path, "braintree.txt", text)), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["board"] == "the Town Council"  # a city known as the Town of Braintree
    fill_ins = {f["name"]: f["from"] for f in data["fill_ins"]}
    assert fill_ins["department"] == "the policy's text" and fill_ins["town"] == "the department's name"
    assert fill_ins["board"].startswith("the table of Massachusetts municipalities (Braintree: town council; source: MMA")


def test_the_fill_ins_and_where_they_came_from_are_in_every_format(tmp_path):
    policy = _policy(tmp_path, "marlow.txt", LEXIPOL)
    note = "Filled in: the department “Marlow Police Department” (from the policy's text); the town “Marlow” (from the department's name); the approving body “the Select Board” (from --board)."
    for fmt in ("md", "text"):
        result = run_cli("draft", str(policy), "--format", fmt, "--board", BOARD)
        assert result.returncode == 0, result.stderr
        assert " ".join(result.stdout.decode().split()).count(note) == 1, fmt
    html = run_cli("draft", str(policy), "--format", "html", "--board", BOARD).stdout.decode()
    assert note.replace("'", "&#x27;") in " ".join(html.split())
    out = tmp_path / "marlow.docx"
    assert run_cli("draft", str(policy), "--board", BOARD, "-o", str(out)).returncode == 0
    import zipfile

    comments = zipfile.ZipFile(out).read("word/comments.xml").decode()
    assert "Filled in: the department “Marlow Police Department” (from the policy&apos;s text)" in comments or \
        "Filled in: the department “Marlow Police Department” (from the policy's text)" in comments
    clean = run_cli("draft", str(policy), "--format", "md", "--clean", "--board", BOARD)
    assert "Filled in" not in clean.stdout.decode()  # the amended policy alone carries no notes


def test_the_department_is_read_from_a_web_pages_title_when_the_body_never_names_it(tmp_path):
    import json

    page = _policy(tmp_path, "policy.html", (
        "<html><head><title>Marlow Police Department - Immigration Policy</title></head><body>"
        "<h1>Immigration Policy</h1><p>Officers shall not ask about immigration status.</p>"
        "<p>Officers may provide assistance to federal immigration officers on request.</p></body></html>"))
    result = run_cli("draft", str(page), "--format", "json", "--board", BOARD)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["department"] == "Marlow Police Department" and data["town"] == "Marlow"
    assert {"name": "department", "value": "Marlow Police Department", "from": "the page's <title>"} in data["fill_ins"]



def test_a_title_in_capitals_that_runs_into_police_department_names_no_department(tmp_path):
    # Roseville's council minutes: "A RESOLUTION ADOPTING POLICE DEPARTMENT POLICY #102", then
    # the policy itself names the Roseville Police Department once.
    import json

    minutes = _policy(tmp_path, "minutes.txt", (
        "RESOLUTION No. 11435\n\nA RESOLUTION ADOPTING POLICE DEPARTMENT POLICY #102 REGARDING IMMIGRATION ENFORCEMENT\n\n"
        "Federal law does not authorize the Roseville Police Department to enforce federal immigration laws. "
        "Employees shall not inquire about a person's immigration status unless it is directly related to a "
        "criminal investigation.\n"))
    result = run_cli("draft", str(minutes), "--format", "json", "--board", BOARD)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["department"] == "Roseville Police Department"


def test_a_bylaw_that_names_its_town_but_not_its_police_is_drafted_for_that_towns_police(tmp_path):
    import json

    bylaw = _policy(tmp_path, "hadley-bylaw.txt", (
        "Town of Hadley General Bylaws\n\nArticle 40. Trust and Safety\n\n"
        "1. The Town of Hadley shall not use town funds or personnel to enforce federal civil immigration law.\n\n"
        "2. Officers may hold a person on a civil immigration detainer at the request of ICE, notwithstanding Lunn v. Commonwealth.\n"))
    result = run_cli("draft", str(bylaw), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["town"], data["department"], data["board"]) == ("Hadley", "Hadley Police Department", "the Select Board")
    fill_ins = {f["name"]: f["from"] for f in data["fill_ins"]}
    assert fill_ins["town"].startswith("the policy's text (“City of Hadley” or “Town of Hadley”")
    assert fill_ins["department"] == "the town's name (TOWN Police Department)" and "table" in fill_ins["board"]
    # a "Town of" the table does not know, or a text that says nothing of Massachusetts, is not guessed
    elsewhere = _policy(tmp_path, "harlow.txt", bylaw.read_text(encoding="utf-8").replace("Hadley", "Harlow Falls"))
    assert run_cli("draft", str(elsewhere), "--format", "json").returncode == 2
    unsaid = _policy(tmp_path, "hadley-nowhere.txt", bylaw.read_text(encoding="utf-8").replace(", notwithstanding Lunn v. Commonwealth", ""))
    assert run_cli("draft", str(unsaid), "--format", "json").returncode == 2


def test_an_outline_whose_only_part_is_i_is_roman(tmp_path):
    # Santa Ana's jail procedure (tests/heldout17): "I. ICE Detainers" over "A.", "B.", "C." is
    # the first part of an outline; what the draft adds after it is II, III, …, not J, K, …
    text = ("Quinnet Police Department\n\nImmigration Detainee Processes\n\n"
            "To establish guidelines for Quinnet Jail personnel in the processing of individuals subject to ICE detainers.\n\n"
            "I. ICE Detainers\n\n"
            "A. The determination to honor an immigration detainer on an individual charged with a misdemeanor "
            "shall be made by a shift supervisor or above.\n\n"
            "B. When jail personnel receive an ICE detainer, the detainer is to be turned over to Classification staff.\n")
    amendment = draft(analyze(_policy(tmp_path, "quinnet-jail.txt", text)), board=BOARD)
    numbers = [c.number for c in analyze_document(amendment.document()).clauses]
    tops = [n for n in numbers if "." not in n and not n.startswith(("¶", "§"))]
    assert "I.A" in numbers and tops[:2] == ["II", "III"], numbers  # I itself holds only A and B
    assert "J" not in numbers
