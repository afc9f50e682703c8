"""Generate a corpus of synthetic department policies for benchmarking `redline survey`.

    /tmp/venv/bin/python bench/make_corpus.py OUTDIR [-n 1000] [--seed 413]

Each policy is one of five mixes, in .txt, .docx (python-docx) or .pdf (fpdf2):

* ``lexipol``  the Lexipol template (models/lexipol-immigration-violations.md) with the
               department's name filled in, renumbered, a clause or two dropped, sometimes a
               local clause added;
* ``model``    most of our model policy (models/model-policy.md), fill-ins filled;
* ``bedford``  Bedford's clauses (models/bedford.md) with the town renamed, plus local clauses;
* ``mixed``    the template with some clauses replaced by model or Bedford clauses;
* ``local``    only local clauses written here (bias-free policing, vehicles, records):
               no immigration language at all.

About one file in a hundred is broken on purpose (an empty .txt, a .docx that is not a zip),
as a records-request folder would have. Everything is chosen by `random.Random(seed)`, so
the same arguments give the same policies (the .docx and .pdf carry fixed dates).
The text is synthetic: it is not any department's actual policy.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "cli"))

from policy_redline.models import load_models  # noqa: E402

FIXED = datetime(2026, 1, 1, tzinfo=timezone.utc)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

TOWNS = (
    "Abington Acton Agawam Amesbury Andover Arlington Ashland Athol Attleboro Auburn Ayer Barnstable "
    "Belchertown Bellingham Belmont Beverly Billerica Bourne Braintree Bridgewater Brockton Brookline "
    "Burlington Canton Carver Charlton Chelmsford Clinton Concord Danvers Dartmouth Dedham Dracut "
    "Dudley Duxbury Easthampton Easton Everett Fairhaven Falmouth Fitchburg Foxborough Framingham "
    "Franklin Gardner Gloucester Grafton Greenfield Hanover Haverhill Hingham Holden Holyoke Hopkinton "
    "Hudson Hull Ipswich Kingston Lakeville Leicester Leominster Lexington Longmeadow Ludlow Lynnfield "
    "Malden Mansfield Marblehead Marlborough Marshfield Maynard Medfield Medford Medway Melrose Methuen "
    "Middleborough Milford Millbury Milton Natick Needham Norfolk Northampton Northborough Norton "
    "Norwood Oxford Palmer Peabody Pembroke Pittsfield Plymouth Randolph Raynham Reading Revere "
    "Rockland Salem Sandwich Saugus Scituate Seekonk Sharon Shrewsbury Somerset Southbridge Spencer "
    "Stoneham Stoughton Sudbury Swampscott Swansea Taunton Tewksbury Uxbridge Wakefield Walpole "
    "Waltham Wareham Watertown Wayland Webster Wellesley Westborough Westfield Westford Weymouth "
    "Wilmington Winchendon Winchester Winthrop Woburn Wrentham Yarmouth"
).split() + ["North Adams", "West Springfield", "East Longmeadow", "South Hadley", "North Andover"]

LOCAL_CLAUSES: list[tuple[str, list[str]]] = [
    ("BIAS-FREE POLICING", [
        "Members of the {department} shall not consider race, ethnicity, national origin, religion, "
        "gender, gender identity, sexual orientation, or disability when deciding to stop, detain, "
        "search, or arrest a person, except where such a characteristic is part of a specific "
        "suspect description.",
        "Supervisors shall review stop data quarterly and report any pattern of disparity to the Chief of Police.",
    ]),
    ("USE OF DEPARTMENT VEHICLES", [
        "Department vehicles shall be used for official business only. Members shall inspect "
        "their assigned vehicle at the start of each shift and report any damage to the shift supervisor.",
        "No member shall transport a civilian in a department vehicle without the approval of a supervisor, "
        "except in an emergency.",
    ]),
    ("RECORDS RETENTION", [
        "Incident reports, citations, and booking records are kept for the periods set by the "
        "Massachusetts Statewide Records Retention Schedule. The records clerk of the {department} "
        "maintains the retention log.",
    ]),
    ("COMMUNITY ENGAGEMENT", [
        "The {department} holds a public meeting in {town} at least twice a year to hear residents' "
        "concerns. Interpreters are provided on request for any language spoken in the community.",
    ]),
    ("LANGUAGE ACCESS", [
        "Members shall use a qualified interpreter or the language line when communicating with a person "
        "with limited English proficiency during an investigation, an interview, or an arrest. Family "
        "members, and children in particular, shall not be used as interpreters except in an emergency.",
    ]),
    ("BODY-WORN CAMERAS", [
        "Officers assigned a body-worn camera shall activate it at the start of every enforcement "
        "encounter and shall not end the recording until the encounter is over.",
        "Recordings are retained for at least 180 days, and longer when they are evidence in a case.",
    ]),
    ("TRAINING RECORDS", [
        "The training officer of the {department} keeps a record of every course each member completes, "
        "including in-service training required by the Municipal Police Training Committee.",
    ]),
    ("LOCAL RESTRICTION ON CIVIL ENFORCEMENT", [
        "Members of the {department} shall not stop, question, arrest, or detain any person for the sole "
        "purpose of determining the person's immigration status.",
        "The {department} shall not use department funds, equipment, or personnel to assist in the "
        "enforcement of federal civil immigration law, except where required by state or federal law.",
    ]),
]

ABBREV = {"Department": "Department", "PD": "PD"}


@dataclass
class Section:
    number: str
    heading: str
    paragraphs: list[str]  # a paragraph starting "(a) " is a list item


@dataclass
class Policy:
    kind: str
    town: str
    department: str
    title: str
    subtitle: str
    sections: list[Section]


def _models() -> dict:
    return {m.id: m for m in load_models()}


def _rename(text: str, department: str, town: str) -> str:
    """Fill a department-neutral template in: "this department", "the Department" -> its name."""
    text = re.sub(r"\bmembers of the Department\b", f"members of the {department}", text)
    text = re.sub(r"\bthe policy of the Department\b", f"the policy of the {department}", text)
    text = re.sub(r"\bthe Department\b", f"the {department}", text)
    text = re.sub(r"\bthis department\b", f"the {department}", text)
    return text.replace("Bedford", town)


def _fill(text: str, department: str, town: str, board: str) -> str:
    return text.replace("{department}", department).replace("{town}", town).replace("{board}", board)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _local(rng: random.Random, department: str, town: str, k: int) -> list[tuple[str, list[str]]]:
    picks = rng.sample(LOCAL_CLAUSES[:-1], k) if k else []
    return [(h, [_fill(p, department, town, "") for p in ps]) for h, ps in picks]


def make_policy(i: int, rng: random.Random, models: dict) -> Policy:
    town = rng.choice(TOWNS)
    department = f"{town} Police Department"
    board = rng.choice(["the Select Board", "the City Council", "the Town Council", "the Board of Selectmen"])
    kind = rng.choices(["lexipol", "model", "bedford", "mixed", "local"], weights=[40, 15, 15, 15, 15])[0]
    tmpl = models["lexipol-immigration-violations"]
    number = rng.choice(["413", "415", "428", "402", "606"])

    def from_template(drop: int) -> list[Section]:
        clauses = list(tmpl.clauses)
        optional = [c for c in clauses if c.number in ("413.1", "413.3", "413.4.1", "413.7", "413.8")]
        for c in rng.sample(optional, min(drop, len(optional))):
            clauses.remove(c)
        return [
            Section(c.number.replace("413", number, 1), c.heading, _paragraphs(_rename(c.text, department, town)))
            for c in clauses
        ]

    sections: list[Section]
    if kind == "lexipol":
        sections = from_template(rng.randint(0, 2))
        title, subtitle = f"Policy {number}", "Immigration Violations"
        if rng.random() < 0.4:
            h, ps = _local(rng, department, town, 1)[0]
            sections.append(Section(f"{number}.{len(sections) + 1}", h, ps))
    elif kind == "model":
        keep = [c for c in models["model-policy"].clauses if c.number != "2" or rng.random() < 0.5]
        sections = [Section(c.number, c.heading, _paragraphs(_fill(c.text, department, town, board))) for c in keep]
        title, subtitle = "Immigration Status and Federal Immigration Enforcement", ""
    elif kind == "bedford":
        bed = models["bedford"].clauses
        chosen = [c for c in bed if rng.random() < 0.85] or [bed[0]]
        sections = [Section(str(n + 1), c.heading, _paragraphs(_rename(c.text, department, town))) for n, c in enumerate(chosen)]
        for h, ps in _local(rng, department, town, rng.randint(0, 2)):
            sections.append(Section(str(len(sections) + 1), h, ps))
        title, subtitle = "Immigration Status and Federal Immigration Enforcement", ""
    elif kind == "mixed":
        sections = from_template(rng.randint(0, 1))
        donors = [c for c in models["model-policy"].clauses if c.number in ("3", "4", "6", "8", "9")]
        donors += list(models["bedford"].clauses)
        for _ in range(rng.randint(1, 3)):
            idx = rng.randrange(len(sections))
            d = rng.choice(donors)
            sections[idx] = Section(sections[idx].number, d.heading.upper(), _paragraphs(_rename(_fill(d.text, department, town, board), department, town)))
        title, subtitle = f"Policy {number}", "Immigration and Federal Enforcement"
    else:
        picks = _local(rng, department, town, rng.randint(2, 4))
        sections = [Section(f"{number}.{n + 1}", h, ps) for n, (h, ps) in enumerate(picks)]
        title, subtitle = f"Policy {number}", rng.choice(["Bias-Free Policing", "Department Operations", "Community Relations"])
    return Policy(kind, town, department, title, subtitle, sections)


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------


def _heading(s: Section) -> str:
    return f"{s.number} {s.heading}".strip() if s.number else s.heading


def write_txt(p: Policy, path: Path) -> None:
    lines = [p.department, p.title] + ([p.subtitle] if p.subtitle else []) + [""]
    for s in p.sections:
        lines += [_heading(s), ""]
        for para in s.paragraphs:
            lines += [para, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_docx(p: Policy, path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.created = FIXED.replace(tzinfo=None)
    d.core_properties.modified = FIXED.replace(tzinfo=None)
    d.core_properties.author = "policy-redline bench/make_corpus.py"
    d.sections[0].header.paragraphs[0].text = f"{p.department} Policy Manual"
    d.add_heading(p.title, level=1)
    if p.subtitle:
        d.add_paragraph(p.subtitle, style="Subtitle")
    for s in p.sections:
        d.add_heading(_heading(s), level=3 if s.number.count(".") >= 2 else 2)
        for para in s.paragraphs:
            d.add_paragraph(para)
    d.save(str(path))


_PDF_FONT: list[bool] = []


def write_pdf(p: Policy, path: Path) -> None:
    from fpdf import FPDF

    unicode_font = DEJAVU.exists()

    def t(text: str) -> str:
        if unicode_font:
            return text
        return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
                .replace("\u2013", "-").replace("\u2014", "-").replace("\u00a7", "S.")
                .encode("latin-1", "replace").decode("latin-1"))

    class PolicyPDF(FPDF):
        def header(self) -> None:
            self.set_font(family, size=9)
            self.cell(0, 6, t(f"{p.department} Policy Manual"), align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(family, size=9)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = PolicyPDF(format="Letter")
    pdf.set_creation_date(FIXED)
    pdf.set_creator("policy-redline bench/make_corpus.py")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=22)
    if unicode_font:
        family = "body"
        pdf.add_font("body", "", str(DEJAVU))
        pdf.add_font("body", "B", str(DEJAVU_BOLD if DEJAVU_BOLD.exists() else DEJAVU))
    else:
        family = "Helvetica"
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, t(p.title), new_x="LMARGIN", new_y="NEXT")
    if p.subtitle:
        pdf.set_font(family, "B", 13)
        pdf.multi_cell(0, 7, t(p.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for s in p.sections:
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 6, t(_heading(s)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font(family, "", 10.5)
        for para in s.paragraphs:
            pdf.multi_cell(0, 5, t(para), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


WRITERS = {".txt": write_txt, ".docx": write_docx, ".pdf": write_pdf}


def make_corpus(outdir: str | Path, n: int, seed: int = 413, formats: tuple[str, ...] = (".txt", ".docx", ".pdf"),
                broken: float = 0.01) -> list[Path]:
    """Write `n` policies into `outdir` (in sub-folders of 100, like a records archive)."""
    out = Path(outdir)
    rng = random.Random(seed)
    models = _models()
    paths = []
    for i in range(n):
        fmt = formats[i % len(formats)] if rng.random() < 0.7 else rng.choice(formats)
        sub = out / f"batch-{i // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        policy = make_policy(i, rng, models)
        slug = re.sub(r"[^a-z0-9]+", "-", policy.town.lower()).strip("-")
        path = sub / f"{i:04d}-{slug}-{policy.kind}{fmt}"
        if rng.random() < broken:
            if fmt == ".docx":
                path.write_bytes(b"this is not a zip file, whatever its name says\n")
            else:
                path = path.with_suffix(".txt")
                path.write_bytes(b"")
        else:
            WRITERS[fmt](policy, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=413)
    args = ap.parse_args(argv)
    paths = make_corpus(args.outdir, args.n, args.seed)
    print(f"wrote {len(paths)} policies under {args.outdir}")


if __name__ == "__main__":
    main()
