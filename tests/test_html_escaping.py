"""Everything read from a policy is escaped in every HTML output, and never becomes raw HTML in
the Markdown outputs: script tags, attribute-breaking quotes, comment and CDATA openers and
CriticMarkup delimiters, in the policy's text, its title and its file name."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_hostile_cli import HAS_COMPARE, HAS_SURVEY, redline

from policy_redline.redline import Redline, RedlineParagraph
from policy_redline.writers.html_redline import redline_to_html
from policy_redline.writers.markdown_redline import WORD_JOINER, redline_to_markdown

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='x",
            "</style><script>alert(2)</script>", "<!--", "]]>", "{++ --}"]
FILE_NAME = '"><img src=x onerror=alert(1)> <b>policy.txt'
POLICY = (
    "Immigration Policy <script>alert(1)</script> \"><img src=x onerror=alert(1)> ' onmouseover='x\n\n"
    "413.1 Officers of the Testville Police Department shall not ask about immigration status "
    "</style><script>alert(2)</script> <!-- ]]> {++ --} here.\n\n"
    "413.2 An officer who has a reasonable suspicion that an individual already under lawful "
    "detention may be deportable \"><img src=x onerror=alert(3)> may notify ICE ' onmouseover='x.\n"
)


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def assert_safe_html(page: str, *, expect: tuple[str, ...] = ()) -> str:
    parser = Markup()
    parser.feed(page)
    parser.close()
    names = [t for t, _ in parser.tags]
    assert "script" not in names and "img" not in names, names
    for tag, attrs in parser.tags:
        for name, _ in attrs:
            assert not name.lower().startswith("on"), (tag, attrs)
    assert "<!--" not in page and "<script" not in page.lower() and "<img" not in page.lower()
    text = "".join(parser.text)
    for payload in expect:
        assert payload in text, payload  # shown to the reader as text
    return text


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("escaping")
    path = folder / FILE_NAME
    path.write_text(POLICY, encoding="utf-8")
    return path


def _out(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def test_analyze_html(policy: Path) -> None:
    text = assert_safe_html(_out(redline("analyze", str(policy), "--format", "html")))
    assert "<script>alert(1)</script>" in text and FILE_NAME in text  # title and file name
    assert "</style><script>alert(2)</script> <!-- ]]> {++ --}" in text  # evidence quote


@pytest.mark.parametrize("clean", [False, True], ids=["redline", "clean"])
def test_draft_html(policy: Path, clean: bool) -> None:
    args = ("draft", str(policy), "--format", "html", "--board", "the Select Board", *(("--clean",) if clean else ()))
    text = assert_safe_html(_out(redline(*args)))
    assert "</style><script>alert(2)</script> <!-- ]]> {++ --}" in text
    if not clean:
        assert '"><img src=x onerror=alert(3)>' in text  # the deleted red-flag clause


@pytest.mark.skipif(not HAS_COMPARE, reason="no compare command yet")
def test_compare_html(policy: Path) -> None:
    text = assert_safe_html(_out(redline("compare", str(policy), "--format", "html")))
    assert "<script>alert(1)</script>" in text


@pytest.mark.skipif(not HAS_SURVEY, reason="no survey command")
def test_survey_html_and_reports(policy: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.html"
    reports = tmp_path / "reports"
    result = redline("survey", str(policy.parent), "-o", str(out), "--reports", str(reports), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    from policy_redline.writers.survey_html import _JS

    page = out.read_text(encoding="utf-8")
    assert page.count("<script") == 1  # the table's own sorting script, which reads no policy text
    text = assert_safe_html(page.replace(f"<script>{_JS}</script>", ""))
    assert FILE_NAME in text
    pages = list(reports.glob("*.html"))
    assert pages
    for page in pages:
        assert_safe_html(page.read_text(encoding="utf-8"), expect=("<script>alert(1)</script>",))


def test_onepager_html_if_present(policy: Path) -> None:
    if redline("onepager", "--help").returncode != 0:
        pytest.skip("no onepager command")
    assert_safe_html(_out(redline("onepager", str(policy), "--town", "Testville")))


def test_redline_html_writer_directly() -> None:
    paras = tuple(RedlineParagraph(p, p + " " + q, kind, 1, comment=q)
                  for p, q, kind in zip(PAYLOADS, reversed(PAYLOADS), ["heading", "paragraph", "list_item"] * 3))
    paras += (RedlineParagraph("", PAYLOADS[0]), RedlineParagraph(PAYLOADS[1], ""))
    page = redline_to_html(Redline(PAYLOADS[1] + PAYLOADS[0], paras, author=PAYLOADS[2]), heading=PAYLOADS[3])
    assert_safe_html(page, expect=tuple(PAYLOADS))


# ------------------------------------------------------------------------------ Markdown

def assert_no_raw_html(md: str) -> None:
    for opener in ("<script", "</script", "<img", "</style", "<!--", "<b>"):
        assert opener not in md.lower(), opener


@pytest.mark.parametrize("args", [("analyze", "--format", "md"), ("draft", "--format", "md", "--board", "the Select Board"),
                                  ("draft", "--format", "md", "--clean", "--board", "the Select Board"),
                                  pytest.param(("compare", "--format", "md"), marks=pytest.mark.skipif(
                                      not HAS_COMPARE, reason="no compare command yet"))],
                         ids=["analyze", "draft", "draft-clean", "compare"])
def test_markdown_outputs_carry_no_raw_html(policy: Path, args: tuple[str, ...]) -> None:
    verb, *options = args
    md = _out(redline(verb, str(policy), *options))
    assert_no_raw_html(md)
    assert "alert(1)" in md  # the text is there, as text


def test_markdown_writer_keeps_the_text_but_not_the_tags() -> None:
    paras = tuple(RedlineParagraph(p, q) for p, q in zip(PAYLOADS, reversed(PAYLOADS)))
    md = redline_to_markdown(Redline(PAYLOADS[0], paras))
    assert_no_raw_html(md)
    assert "<" + WORD_JOINER + "script>" in md
    assert md.replace(WORD_JOINER, "").count("<script>alert(1)</script>") == 3
