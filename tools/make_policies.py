"""Regenerate the example department policies in policies/ from the text in this script.

    /tmp/venv/bin/python tools/make_policies.py          # writes policies/*.docx|pdf|md|txt

The outputs are byte-for-byte reproducible: every date, author and zip timestamp is fixed,
so rerunning the script on the same library versions (python-docx, fpdf2) gives the same
files. The text is assembled from policy language quoted in the source documents; see
policies/README.md for which passages are quoted, which are reconstructed from the published
Lexipol template, and which (few) sentences we wrote.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "policies"

FIXED = datetime(2026, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
TOOL = "policy-redline tools/make_policies.py"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# --------------------------------------------------------------------------------------
# Chicopee Police Department, Policy 413 "Immigration Violations" (the Lexipol template)
#
# A section is (level, heading, body); body is a list of ("p", text) and ("list", [items]).
# Level 1 = "413.x" section, level 2 = "413.x.y" subsection.
# --------------------------------------------------------------------------------------

CHICOPEE_DEPT = "Chicopee Police Department"
CHICOPEE_TITLE = "Policy 413"
CHICOPEE_SUBTITLE = "Immigration Violations"
CHICOPEE_COPYRIGHT = (
    "Copyright Lexipol, LLC 2024/01/01, All Rights Reserved. "
    "Published with permission by Chicopee Police Department"
)

CHICOPEE: list[tuple[int, str, list[tuple[str, object]]]] = [
    (1, "413.1 PURPOSE AND SCOPE", [
        ("p", "This policy provides guidelines to members of the Chicopee Police Department "
              "relating to immigration and interacting with federal immigration officials."),
    ]),
    (1, "413.2 POLICY", [
        ("p", "It is the policy of the Chicopee Police Department that all members make personal "
              "and professional commitments to equal enforcement of the law and equal service to "
              "the public. Confidence in this commitment will increase the effectiveness of this "
              "department in protecting and serving the entire community and recognizing the "
              "dignity of all persons, regardless of their national origin or immigration status."),
    ]),
    (1, "413.3 VICTIMS AND WITNESSES", [
        ("p", "To encourage crime reporting and cooperation in the investigation of criminal "
              "activity, all individuals, regardless of their immigration status, must feel secure "
              "that contacting or being addressed by members of law enforcement will not "
              "automatically lead to immigration inquiry and/or deportation. While it may be "
              "necessary to determine the identity of a victim or witness, members shall treat all "
              "individuals equally and not in any way that would violate the United States or "
              "Massachusetts constitutions."),
    ]),
    (1, "413.4 DETENTIONS", [
        ("p", "An officer should not detain any individual, for any length of time, for a civil "
              "violation of federal immigration laws or a related civil warrant."),
        # Quoted verbatim in the CfJJ guide (seed 004) as Chicopee Policy 413.
        ("p", "An officer who has a reasonable suspicion that an individual already lawfully "
              "contacted or detained has committed a criminal violation of federal immigration law "
              "may detain the person for a reasonable period of time in order to contact federal "
              "immigration officials to verify whether an immigration violation is a federal civil "
              "violation or a criminal violation."),
        # Quoted verbatim by GBH News (seed 000) as Chicopee Police Department policy.
        ("p", "If the officer has facts that establish probable cause to believe that a person "
              "already lawfully detained has committed a criminal immigration offense, he/she may "
              "continue the detention and may request a federal immigration official to respond to "
              "the location to take custody of the detained person."),
        ("p", "No individual who is otherwise ready to be released should continue to be detained "
              "only because questions about the individual's status are unresolved."),
    ]),
    (2, "413.4.1 SUPERVISOR RESPONSIBILITIES", [
        ("p", "When notified that an officer has detained an individual and established reasonable "
              "suspicion or probable cause to believe the person has violated federal immigration "
              "laws, the supervisor should:"),
        ("list", [
            "Confirm that the detained person's immigration status was properly verified.",
            "Ensure that the detained person is taken into custody by federal immigration "
            "officials or is released when there is no other lawful basis for the detention.",
            "Ensure that the detention and any contact with federal immigration officials are "
            "documented in the related report.",
        ]),
    ]),
    (1, "413.5 ENFORCEMENT ASSISTANCE", [
        # Quoted verbatim in the CfJJ guide (seed 004).
        ("p", "Requests by federal immigration officials for assistance from this department "
              "should be directed to a supervisor. The Department may provide available support "
              "services."),
        ("p", "Members should not participate in such federal operations as part of any detention "
              "team unless it is in direct response to a request for assistance on a temporary "
              "basis or for officer safety. Any detention by a member of this department should be "
              "based upon the right to enforce state law."),
    ]),
    (1, "413.6 INFORMATION SHARING", [
        # Quoted verbatim in the CfJJ guide (seed 004).
        ("p", "No member of this department will prohibit, or in any way restrict, any other "
              "member from doing any of the following regarding the citizenship or immigration "
              "status, lawful or unlawful, of any individual (8 USC § 1373):"),
        ("list", [
            "Sending information to, or requesting or receiving such information from, federal "
            "immigration officials",
            "Maintaining such information in department records",
            "Exchanging such information with any other federal, state, or local government "
            "entity",
        ]),
    ]),
    (2, "413.6.1 IMMIGRATION DETAINERS", [
        ("p", "No individual should be held based solely on a federal immigration detainer under "
              "8 CFR 287.7 unless the person has been charged with a federal crime or the detainer "
              "is accompanied by a warrant, affidavit of probable cause, or removal order. "
              "Notification to the federal authority issuing the detainer should be made prior to "
              "the release."),
    ]),
    (1, "413.7 U VISA AND T VISA NONIMMIGRANT STATUS", [
        ("p", "Under certain circumstances, federal law allows temporary immigration benefits, "
              "known as a U visa, to victims and witnesses of certain qualifying crimes "
              "(8 USC § 1101(a)(15)(U)). Similar immigration protection, known as a T visa, is "
              "available for certain qualifying victims of human trafficking "
              "(8 USC § 1101(a)(15)(T))."),
        ("p", "Any request for assistance in applying for U visa or T visa status should be "
              "forwarded in a timely manner to the Investigations supervisor assigned to oversee "
              "the handling of any related case. The Investigations supervisor should:"),
        ("list", [
            "Consult with the assigned investigator to determine the current status of any "
            "related case and whether further documentation is warranted.",
            "Contact the appropriate prosecutor assigned to the case, if applicable, to ensure the "
            "certification or declaration has not already been completed and whether a "
            "certification or declaration is warranted.",
            "Address the request and complete the certification or declaration, if appropriate, "
            "in a timely manner.",
            "Ensure that any decision to complete, or not complete, a certification or declaration "
            "form is documented in the case file and forwarded to the appropriate prosecutor. "
            "Include a copy of any completed form in the case file.",
            "Inform the victim liaison of any requests and their status.",
        ]),
    ]),
    (1, "413.8 TRAINING", [
        # The second sentence is the one local edit (ours, for testing; see policies/README.md).
        ("p", "The Training Sergeant should ensure officers receive training on this policy. "
              "A review of this policy shall be included in the annual in-service training for "
              "all sworn members."),
        ("p", "Training should include:"),
        ("list", [
            "Identifying civil versus criminal immigration violations.",
            "Factors that may be considered in determining whether a criminal immigration offense "
            "has been committed.",
        ]),
    ]),
]


def letter(i: int) -> str:
    return "(" + "abcdefghijklmnopqrstuvwxyz"[i] + ")"


# --------------------------------------------------------------------------------------
# Bedford Police Department: the four passages the CfJJ guide quotes, verbatim.
# --------------------------------------------------------------------------------------

BEDFORD_HEADER = "Bedford Police Department \u2014 Policies and Procedures"
BEDFORD_TITLE = "Immigration Status and Federal Immigration Enforcement"
BEDFORD: list[tuple[str, str]] = [
    # Our sentence, not Bedford's (see policies/README.md).
    ("1. Purpose",
     "This policy sets out the Department\u2019s rules on inquiries about immigration status, "
     "the use of Department resources, immigration detainers, and access to Department records."),
    ("2. Immigration Status",
     "No police officer or other employee of the Department shall inquire about a person's "
     "immigration status, nor shall such officer or employee take any policing action against a "
     "person based solely on the person\u2019s real or suspected immigration status, except in "
     "limited circumstances specifically identified by the Chief."),
    ("3. Department Funds and Resources",
     "No funds, resources, facilities, property, equipment, or personnel of the Department shall "
     "be used for any federal immigration custody or detainment or other enforcement purpose."),
    ("4. Immigration Detainers",
     "If, in the course of standard processing procedures, Immigration and Customs Enforcement "
     "files an immigration detainer, the arrestee shall be made aware of the detainer and "
     "provided a copy. The arrestee shall also be made aware that the Bedford Police Department "
     "will not hold them in custody on the Immigration and Customs Enforcement detainer if they "
     "post bail or are released on their own recognizance."),
    ("5. Department Records",
     "No police officer or civilian employee of the Department shall make any information in its "
     "databases or other record-keeping systems available to any entity for enforcement of any "
     "federal statute or program requiring registration of persons on the basis of race, gender, "
     "sexual orientation, gender identity, religion, national or ethnic origin, or political or "
     "social beliefs."),
]


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------

def fixed_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps and attributes, members in the same order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_chicopee_docx(path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = Document()
    cp = doc.core_properties
    cp.author = TOOL
    cp.last_modified_by = TOOL
    cp.title = f"{CHICOPEE_TITLE} {CHICOPEE_SUBTITLE}"
    cp.subject = f"{CHICOPEE_DEPT} Policy Manual"
    cp.comments = "Assembled from quoted policy language for policy-redline tests; see policies/README.md"
    cp.created = FIXED.replace(tzinfo=None)
    cp.modified = FIXED.replace(tzinfo=None)
    cp.last_printed = FIXED.replace(tzinfo=None)
    cp.revision = 1

    # A real page header, as in a Lexipol manual export (readers should not take it as text).
    header = doc.sections[0].header
    header.paragraphs[0].text = f"{CHICOPEE_DEPT}\tChicopee PD Policy Manual"

    # Lettered list numbering "(a)", "(b)", ... as Lexipol lays it out: one abstract
    # definition, and one w:num per list so that each list restarts at (a).
    numbering = doc.part.numbering_part.element
    abstract_id = 90
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%1)"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    existing_abstracts = numbering.findall(qn("w:abstractNum"))
    if existing_abstracts:
        existing_abstracts[-1].addnext(abstract)
    else:
        numbering.insert(0, abstract)
    next_num = [100]

    def new_list() -> int:
        num_id = next_num[0]
        next_num[0] += 1
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
            "</w:num>"
        ))
        return num_id

    doc.add_heading(CHICOPEE_TITLE, level=1)
    doc.add_paragraph(CHICOPEE_SUBTITLE, style="Subtitle")
    for level, heading, body in CHICOPEE:
        doc.add_heading(heading, level=level + 1)
        for kind, content in body:
            if kind == "p":
                doc.add_paragraph(content)
            else:
                num_id = new_list()
                for item in content:
                    para = doc.add_paragraph(item, style="List Paragraph")
                    ppr = para._p.get_or_add_pPr()
                    ppr.append(parse_xml(
                        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                        f'<w:numId w:val="{num_id}"/></w:numPr>'
                    ))
    doc.add_paragraph(CHICOPEE_COPYRIGHT)

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(fixed_zip(buf.getvalue()))


def chicopee_markdown() -> str:
    lines = [
        f"# {CHICOPEE_TITLE}: {CHICOPEE_SUBTITLE}",
        "",
        f"{CHICOPEE_DEPT}",
        "",
    ]
    for level, heading, body in CHICOPEE:
        lines += ["#" * (level + 1) + " " + heading, ""]
        for kind, content in body:
            if kind == "p":
                lines += [content, ""]
            else:
                lines += [f"- {letter(i)} {item}" for i, item in enumerate(content)]
                lines.append("")
    lines += [CHICOPEE_COPYRIGHT, ""]
    return "\n".join(lines)


def write_bedford_pdf(path: Path) -> None:
    from fpdf import FPDF

    class PolicyPDF(FPDF):
        def header(self) -> None:
            self.set_font("body", size=10)
            self.cell(0, 8, BEDFORD_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-18)
            self.set_font("body", size=10)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(FIXED)
    pdf.set_title(f"Bedford Police Department: {BEDFORD_TITLE}")
    pdf.set_author(TOOL)
    pdf.set_subject("Assembled from quoted policy language for policy-redline tests; see policies/README.md")
    pdf.set_creator(TOOL)
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=25)
    if DEJAVU.exists():
        pdf.add_font("body", "", str(DEJAVU))
        pdf.add_font("body", "B", str(DEJAVU_BOLD if DEJAVU_BOLD.exists() else DEJAVU))
    else:  # pragma: no cover - the fallback loses curly quotes
        sys.exit(f"missing font {DEJAVU}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("body", "B", 20)
    pdf.multi_cell(0, 11, BEDFORD_TITLE, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for heading, text in BEDFORD:
        pdf.set_font("body", "B", 16)
        pdf.multi_cell(0, 9, heading, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("body", "", 15)
        pdf.multi_cell(0, 9, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(7)
    path.write_bytes(bytes(pdf.output()))


TEWKSBURY = """\
Tewksbury Police Department
Policies and Procedures

BIAS-FREE POLICING

1. PURPOSE AND SCOPE

This policy provides guidance to members of the Department that affirms the Department's
commitment to policing that is fair and objective.

2. POLICY

The Department is committed to providing law enforcement services to the community with due
regard for the racial, cultural or other differences of those served. It is the policy of the
Department to provide law enforcement services and to enforce the law equally, fairly,
objectively and without discrimination toward any individual or group.

3. BIAS-BASED POLICING PROHIBITED

Bias-based policing is strictly prohibited.

Bias-based policing means an inappropriate reliance on actual or perceived characteristics
such as race, ethnicity, national origin, immigration status, religion, sex, sexual
orientation, gender identity or expression, economic status, age, cultural group, or
disability as the basis for providing differing law enforcement service or enforcement.

Members may not use any of these characteristics, in whole or in part, as a factor in deciding
whether to stop, search or arrest any person, except where the characteristic is part
of a specific description of a suspect in a particular incident.

4. REPORTING

Every member shall report any known instance of bias-based policing to a supervisor. A
supervisor who receives such a report shall document it and forward it to the Chief of Police
for review.
"""


def main() -> int:
    OUT.mkdir(exist_ok=True)
    write_chicopee_docx(OUT / "chicopee-413.docx")
    (OUT / "chicopee-413.md").write_text(chicopee_markdown(), encoding="utf-8")
    write_bedford_pdf(OUT / "bedford.pdf")
    (OUT / "tewksbury-bias-free.txt").write_text(TEWKSBURY, encoding="utf-8")
    for name in ("chicopee-413.docx", "chicopee-413.md", "bedford.pdf", "tewksbury-bias-free.txt"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
