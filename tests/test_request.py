"""`redline request`: the public records request letter (Step 1 of the guide)."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest

from conftest import run_cli
from policy_redline.errors import InputError
from policy_redline.request import build_letter
from policy_redline.writers.letter import letter_docx, letter_markdown, letter_text

DEPT = "Chicopee Police Department"
DATE = "2026-03-05"
BASE = ("request", "--department", DEPT, "--date", DATE)

#: Phrases the letter must contain, whitespace-normalised: the law, the deadline, the
#: addressee, and every topic the issue names.
MUST = [
    DEPT,
    "Massachusetts Public Records Law",
    "M.G.L. c. 66, § 10",
    "950 CMR 32.00",
    "Records Access Officer",
    "within 10 business days",
    # policies on ...
    "written policies, general orders, directives, standard operating procedures",
    "training materials",
    "immigration status or citizenship",
    "Immigration Alien Queries (IAQ)",
    "Nlets",
    "place of birth",
    "communication and information sharing with U.S. Immigration and Customs Enforcement (ICE)",
    "Enforcement and Removal Operations (ERO)",
    "Homeland Security Investigations (HSI)",
    "Department of Homeland Security (DHS)",
    "bail, release or court date",
    "immigration detainers and administrative warrants",
    "I-247A",
    "I-200",
    "I-205",
    "assistance to federal immigration enforcement operations",
    "fingerprinting and the sharing of fingerprints",
    "biometric",
    "287(g) agreement",
    "memorandum of understanding",
    "federal task forces",
    "grant",
    # ... and the correspondence the sources show exists
    "Immigration detainers (Form I-247A and other forms)",
    "Notifications the department sent to ICE or DHS of a person's release",
    "Emails, letters and text messages",
    "Call logs, telephone records and recordings of calls",
    "Law Enforcement Support Center (LESC)",
    "Records of Immigration Alien Queries (IAQ)",
    "transferred from department custody to ICE",
    "January 1, 2025 to March 5, 2026",
    # how to answer
    "electronic form",
    "good-faith estimate",
    "fees be waived",
    "public interest",
    "Supervisor of Records",
    "M.G.L. c. 66, § 10A",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in d.paragraphs)


def _letter(**kw):
    kw.setdefault("date", dt.date(2026, 3, 5))
    return build_letter(DEPT, **kw)


def _no_fill_ins(text: str) -> None:
    assert "{" not in text and "}" not in text, re.findall(r"\{[^}]*\}?", text)
    assert "[if" not in text


@pytest.mark.parametrize("render", [letter_text, letter_markdown, lambda L: _docx_text(letter_docx(L))], ids=["text", "md", "docx"])
@pytest.mark.parametrize("who", [{}, {"requester": "Ana Souza", "email": "ana@example.org", "address": "12 Main St\nChicopee, MA 01013"}], ids=["bare", "full"])
def test_letter_names_department_law_deadline_and_every_topic(render, who):
    text = render(_letter(**who))
    flat = _flat(text.replace("\\", ""))  # Markdown escapes
    missing = [m for m in MUST if m not in flat]
    assert not missing
    _no_fill_ins(text)


def test_sender_details_appear_when_given_and_the_letter_still_reads_without_them():
    full = letter_text(_letter(requester="Ana Souza", email="ana@example.org", address="12 Main St\nChicopee, MA 01013"))
    assert "Ana Souza\n12 Main St\nChicopee, MA 01013\nana@example.org" in full
    assert "by email to ana@example.org" in _flat(full)
    assert full.rstrip().endswith("Sincerely,\n\nAna Souza")
    bare = letter_text(_letter())
    assert "by reply to the email or address from which this request was sent" in _flat(bare)
    assert bare.rstrip().endswith("____________________")
    assert "@example.org" not in bare


def test_text_lines_are_wrapped_for_an_email():
    text = letter_text(_letter())
    assert max(len(line) for line in text.splitlines()) <= 78


def test_period_and_fee_limit_options():
    text = _flat(letter_text(_letter(since=dt.date(2024, 6, 1), fee_limit="$10")))
    assert "June 1, 2024 to March 5, 2026" in text
    assert "cost more than $10" in text


def test_unknown_fill_in_in_an_edited_template_is_refused():
    with pytest.raises(InputError, match=r"unknown fill-in \{chief\}"):
        _letter(template="## x\n\nDear {chief},\n")


def test_conditional_lines_in_a_template():
    tmpl = "[if email] Write to {email}.\n\n[if not email] Reply to this letter.\n"
    assert _letter(template=tmpl, email="a@b.org").plain() == "Write to a@b.org."
    assert _letter(template=tmpl).plain() == "Reply to this letter."


def test_bad_inputs_are_one_clear_error():
    with pytest.raises(InputError):
        build_letter("  ", date=dt.date(2026, 3, 5))
    with pytest.raises(InputError):
        _letter(email="not-an-address")
    with pytest.raises(InputError):
        _letter(since=dt.date(2027, 1, 1))


# --- the command ---------------------------------------------------------------------------


def test_cli_text_is_reproducible_and_complete():
    a = run_cli(*BASE)
    b = run_cli(*BASE)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    text = a.stdout.decode("utf-8")
    assert all(m in _flat(text) for m in MUST)
    _no_fill_ins(text)
    assert text.startswith("March 5, 2026\n")


def test_cli_md_and_docx(tmp_path):
    md = run_cli(*BASE, "--format", "md", "--requester", "Ana Souza")
    assert md.returncode == 0, md.stderr
    text = md.stdout.decode("utf-8")
    assert "### Re: Public records request" in text
    assert "\n1. All written policies" in text
    _no_fill_ins(text)
    out = tmp_path / "request.docx"
    r = run_cli(*BASE, "--format", "docx", "--requester", "Ana Souza", "-o", str(out))
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    body = _docx_text(first)
    assert all(m in _flat(body) for m in MUST)
    _no_fill_ins(body)
    d = docx.Document(str(out))
    assert d.core_properties.author == "Ana Souza"
    assert d.core_properties.created.date() == dt.date(2026, 3, 5)
    # same input, same bytes; and -o refuses to overwrite without --force
    again = run_cli(*BASE, "--format", "docx", "--requester", "Ana Souza", "-o", str(out))
    assert again.returncode == 1 and b"--force" in again.stderr
    again = run_cli(*BASE, "--format", "docx", "--requester", "Ana Souza", "-o", str(out), "--force")
    assert again.returncode == 0 and out.read_bytes() == first


def test_cli_default_date_is_today():
    r = run_cli("request", "--department", DEPT)
    assert r.returncode == 0, r.stderr
    today = dt.date.today()
    assert r.stdout.decode("utf-8").startswith(f"{today:%B} {today.day}, {today.year}\n")


@pytest.mark.parametrize(
    "args, code",
    [
        (("request",), 2),  # --department is required
        (("request", "--department", DEPT, "--date", "5 March 2026"), 2),  # not a date: usage
        (("request", "--department", DEPT, "--date", DATE, "--email", "nobody"), 1),
        (("request", "--department", DEPT, "--date", DATE, "--format", "pdf"), 2),
    ],
)
def test_cli_bad_usage(args, code):
    r = run_cli(*args)
    assert r.returncode == code
    if code == 1:
        assert len(r.stderr.decode("utf-8").strip().splitlines()) == 1
