"""Clauses numbered the way police manuals number them."""

from __future__ import annotations

from policy_redline.document import Block, Document
from policy_redline.segment import segment, split_sentences


def _doc(*blocks: Block) -> Document:
    return Document("test", "t", tuple(blocks))


def _clauses(*blocks: Block) -> list[tuple[str, str, str]]:
    return [(c.number, c.heading, c.text) for c in segment(_doc(*blocks))]


def test_lexipol_sections_keep_their_numbers_and_the_title_block_is_not_a_clause():
    got = _clauses(
        Block("Policy 413", "heading", 1),
        Block("Immigration Violations"),
        Block("413.1 PURPOSE AND SCOPE", "heading", 2),
        Block("The purpose of this policy is to provide guidelines."),
        Block("413.4.1 SUPERVISOR RESPONSIBILITIES When notified that an officer has detained an individual, the supervisor should:"),
        Block("Confirm the facts.", "list_item", number="(a)"),
        Block("Document the detention.", "list_item", number="(b)"),
    )
    assert got == [
        ("413.1", "PURPOSE AND SCOPE", "The purpose of this policy is to provide guidelines."),
        ("413.4.1", "SUPERVISOR RESPONSIBILITIES",
         "When notified that an officer has detained an individual, the supervisor should:\n(a) Confirm the facts.\n(b) Document the detention."),
    ]


def test_outline_numbering_nests():
    got = _clauses(
        Block("I. POLICY"),
        Block("A. Members shall not stop any person solely to determine immigration status."),
        Block("B. Booking"),
        Block("1. The booking officer shall not ask about place of birth."),
        Block("(a) This includes juveniles."),
        Block("II. PROCEDURE"),
        Block("A. Supervisors shall document every request."),
    )
    assert [n for n, _, _ in got] == ["I.A", "I.B.1", "I.B.1(a)", "II.A"]
    assert got[0][2].startswith("Members shall not stop")


def test_word_headings_numbered_without_a_period():
    got = _clauses(
        Block("Model Policy", "heading", 1),
        Block("3 Immigration status inquiries", "heading", 2),
        Block("No officer shall ask about immigration status."),
    )
    assert got == [("3", "Immigration status inquiries", "No officer shall ask about immigration status.")]


def test_unnumbered_headings_and_plain_paragraphs():
    got = _clauses(
        Block("Detainers", "heading", 2),
        Block("The arrestee shall be made aware of the detainer."),
        Block("Another paragraph of the same section."),
    )
    assert got == [("§1", "Detainers", "The arrestee shall be made aware of the detainer.\nAnother paragraph of the same section.")]
    memo = _clauses(Block("Officers shall be courteous."), Block("Officers shall not ask about status."))
    assert [n for n, _, _ in memo] == ["¶1", "¶2"]


def test_sentences_stay_addressable_and_citations_stay_whole():
    text = (
        "No member will restrict any other member (8 U.S.C. § 1373) from sending information. "
        "See Lunn v. Commonwealth, 477 Mass. 517 (2017). Officers shall comply, e.g. at booking."
    )
    assert split_sentences(text) == [
        "No member will restrict any other member (8 U.S.C. § 1373) from sending information.",
        "See Lunn v. Commonwealth, 477 Mass. 517 (2017).",
        "Officers shall comply, e.g. at booking.",
    ]
    assert split_sentences("It is authorized by Pub. L. No. 107-296, 116 Stat. 2135. It applies.") == [
        "It is authorized by Pub. L. No. 107-296, 116 Stat. 2135.", "It applies."]
    clause = segment(_doc(Block("413.4 DETENTIONS"), Block(text)))[0]
    assert len(clause.sentences) == 3
    assert clause.number == "413.4"


def test_statute_labels_nest_by_kind_and_case():
    # State codes nest "(a)(1)(A)": a parenthesised number under a letter is its item, not
    # the next letter's sibling, and an evidence cite names the whole path.
    got = _clauses(
        Block("(a) A law enforcement agency shall not detain a person on a civil immigration detainer."),
        Block("(1) This subsection does not apply to a person held on a criminal warrant."),
        Block("(A) A warrant signed by a judge is a criminal warrant."),
        Block("(2) Nothing in this subsection limits the sharing of criminal history."),
        Block("(b) The agency shall publish its records of detainer requests each year."),
    )
    assert [n for n, _, _ in got] == ["(a)", "(a)(1)", "(a)(2)", "(b)"]  # "(A)" stays in its item's text


def test_a_numbered_item_after_its_lettered_sub_items_is_the_next_item():
    # Denver's manual: "(3) Undocumented immigrants", items "1." to "6.", and a draft that
    # puts "(a)" sections under item 1; "2." after them is item 2 again, not an item of "(c)".
    got = _clauses(
        Block("(3) Undocumented immigrants"),
        Block("1. The responsibility for enforcement of immigration laws rests with the federal government."),
        Block("(a) Officers shall not share information with ICE."),
        Block("(b) Officers shall not hold anyone on a civil immigration detainer."),
        Block("2. Generally, officers will not detain a person solely because of immigration status."),
    )
    # (the bare title line "(3) Undocumented immigrants" is the manual's front matter)
    assert [n for n, _, _ in got] == ["(3).1", "(3).1(a)", "(3).1(b)", "(3).2"]


def test_a_copy_that_begins_inside_a_list_keeps_its_next_section_at_the_top():
    # Beacon's resolution as a blog reproduced it: the copy begins at section 1's items
    # "(a)" to "(c)", whose "1. … shall not:" it lost; "2. Detainer Requests." is section 2,
    # not an item under "(c)" (a list's own items start at 1).
    got = _clauses(
        Block("(a) Stop, question, interrogate, investigate or arrest an individual based solely on immigration status;"),
        Block("(b) Inquire about the immigration status of an individual; or"),
        Block("(c) Perform the functions of a federal immigration officer."),
        Block("2. Detainer Requests. City employees shall decline to respond affirmatively to a civil immigration detainer."),
        Block("3. Information Requests. City employees shall decline requests from ICE for non-public information."),
    )
    assert [n for n, _, _ in got] == ["(a)", "(b)", "(c)", "2", "3"]


def test_a_code_chapters_list_of_sections_is_not_clauses_of_its_own():
    # Takoma Park's chapter 9.04: "Sections:" and the section titles, then the sections. The
    # titles stay in the text (a comparison shows them), in the clause before them.
    got = _clauses(
        Block("Sections:"),
        Block("9.04.010 No City enforcement of immigration laws."),
        Block("9.04.020 No inquiries into citizenship."),
        Block("9.04.030 Preemption."),
        Block("9.04.010 No City enforcement of immigration laws."),
        Block("A. No agent, officer or employee of the City shall assist ICE in the arrest of any person for a civil violation."),
        Block("9.04.020 No inquiries into citizenship."),
        Block("A. No agent, officer or employee of the City shall inquire about the citizenship of any person."),
    )
    numbers = [n for n, _, _ in got]
    assert numbers[1:] == ["9.04.010", "9.04.010.A", "9.04.020", "9.04.020.A"]
    assert "9.04.030 Preemption." in got[0][2]
