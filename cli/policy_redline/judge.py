"""Answer the guide's seven questions for a policy: red, green, unclear or silent, with evidence.

Three kinds of evidence, all explainable to a reader of the report by the sentence quoted:

* a policy sentence that reads like a sentence the rubric quotes (`Says:`), by rapidfuzz
  similarity on the normal form;
* a sentence read as a provision (`provisions.py`, with the words in `models/provisions.md`):
  who may, must or must not do what, under which exceptions — forbidding an action the
  guide warns of is green, allowing it red, an exception that swallows the rule red;
* a clause copied (verbatim or near) from a model clause that is tagged red or green for
  the question (the Lexipol detention clause, Bedford's detainer clause).

A red flag anywhere makes the answer red, because one permissive clause is the policy
("the real policy is in those exemptions"); green needs green language and no red flag;
`unclear` is a sentence that speaks to the question in words no rule reads, quoted for a
person to read; `silent` is what is left when no operative sentence speaks to it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from .align import Match
from .models import Flag, Model, Question, Rubric
from .normalize import normalize
from .provisions import (
    TOPIC_ONLY,
    Reading,
    compile_phrase,
    disapplies,
    expand_items_keyed,
    is_agreement_document,
    item_text,
    load_lexicon,
    operative_heading,
    operative_sentence,
    opens_with_restriction,
    read_sentence,
    reading_form,
    stance,
)
from .segment import Clause, split_sentences

Verdict = Literal["red", "green", "silent", "unclear"]

#: A policy sentence is the rubric's quoted sentence, edited, at or above this similarity.
QUOTE_MATCH = 85.0


@dataclass(frozen=True)
class Evidence:
    """The clause (and sentence) that earns a flag."""

    clause: str
    flag: str  # "red" | "green" | "unclear" (the sentence a person must read)
    text: str
    matched: str = ""  # "lexipol-immigration-violations:413.4", or "rubric:lunn"
    score: float = 100.0
    reason: str = ""  # the guide's wording of the flag
    missing: bool = False  # the flag is about what the policy lacks; this clause only mentions the topic
    cite: str = ""  # the clause as a reader finds it in the document (`Clause.citation`)


@dataclass(frozen=True)
class Finding:
    question: str
    text: str  # the question as the guide asks it
    verdict: Verdict
    evidence: tuple[Evidence, ...]
    gap: str = ""  # when silent and the guide counts silence as a red flag: what is missing
    ask: str = ""  # the change to ask for


@dataclass(frozen=True)
class Scorecard:
    findings: tuple[Finding, ...]

    def verdict(self, question: str) -> Verdict:
        return next(f.verdict for f in self.findings if f.question == question)

    def finding(self, question: str) -> Finding:
        return next(f for f in self.findings if f.question == question)

    def counts(self) -> dict[str, int]:
        out = {"red": 0, "green": 0, "silent": 0, "unclear": 0}
        for f in self.findings:
            out[f.verdict] += 1
        return out


# --- judging --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    clause: Clause
    text: str
    norm: str


def _sentences(clauses: list[Clause], towns: tuple[str, ...]) -> list[_Sentence]:
    out = []
    for c in clauses:
        for s in c.sentences:
            n = normalize(s, towns)
            if n:
                out.append(_Sentence(c, s, n))
    return out


@functools.lru_cache(maxsize=256)
def _quote_sentences(quote: str) -> tuple[str, ...]:
    return tuple(normalize(s) for s in split_sentences(quote)) + (normalize(quote),)


def _quote_scores(flag: Flag, sentences: list[_Sentence]) -> np.ndarray:
    """Each sentence's best similarity to any sentence of the flag's quotes (one matrix)."""
    quotes = [q for quote in flag.quotes for q in _quote_sentences(quote)]
    if not quotes or not sentences:
        return np.zeros(len(sentences))
    scores = process.cdist([s.norm for s in sentences], quotes, scorer=fuzz.ratio, score_cutoff=QUOTE_MATCH, dtype=np.float32)
    return scores.max(axis=1)


def _flag_evidence(flag: Flag, question: Question, sentences: list[_Sentence], clause_norms: dict[str, str]) -> list[Evidence]:
    """Sentences (and whole clauses) that read like the sentences the rubric quotes."""
    found: list[Evidence] = []
    quoted = _quote_scores(flag, sentences)
    for i, s in enumerate(sentences):
        best = float(quoted[i])
        if best >= QUOTE_MATCH:
            found.append(Evidence(s.clause.number, flag.color, s.text, f"rubric:{question.id}", round(best, 1), flag.description))
    # A quote spanning a whole clause (a sentence with its lettered items) is compared whole.
    if flag.quotes:
        have = {e.clause for e in found}
        quote_norms = [normalize(quote) for quote in flag.quotes]  # once per flag, not per clause
        for number, norm in clause_norms.items():
            if number in have:
                continue
            for quote_norm in quote_norms:
                # ratio >= 85 is impossible when the lengths differ by more than about a quarter
                if abs(len(quote_norm) - len(norm)) > 0.3 * max(len(quote_norm), len(norm)):
                    continue
                score = fuzz.ratio(quote_norm, norm, score_cutoff=QUOTE_MATCH)
                if score >= QUOTE_MATCH:
                    text = next(s.text for s in sentences if s.clause.number == number)
                    found.append(Evidence(number, flag.color, text, f"rubric:{question.id}", round(score, 1), flag.description))
                    break
    return found


def _model_evidence(
    question: Question,
    clauses: list[Clause],
    per_model: dict[str, list[Match]],
    models: dict[str, Model],
    sentences: list[_Sentence],
    readings: dict[tuple[str, str], str],
) -> list[Evidence]:
    """Clauses copied from a model clause tagged for this question inherit its flag."""
    found = []
    for model_id, matches in per_model.items():
        model = models[model_id]
        by_ref = {(mc.number or mc.heading): mc for mc in model.clauses}
        for clause, m in zip(clauses, matches):
            if m.kind not in ("verbatim", "near"):
                continue
            mc = by_ref.get(m.model_clause)
            color = mc.flag_for(question.id) if mc else None
            if not color:
                continue
            flags = question.red if color == "red" else question.green
            own = [i for i, s in enumerate(sentences) if s.clause.number == clause.number]
            if not own:
                continue
            # Quote the sentence read with the same colour, else the clause's first sentence.
            pick = sentences[next((i for i in own if readings.get((sentences[i].clause.number, sentences[i].text)) == color), own[0])]
            reason = flags[0].description if flags else ""
            found.append(Evidence(clause.number, color, pick.text, f"{model_id}:{m.model_clause}", m.score, reason))
    return found


def _operative_clauses(clauses: list[Clause], lexicon) -> list[Clause]:
    """The clauses that can direct anyone: not under a heading such as "Definitions" or
    "Background" — nor under such a title typed as a paragraph of its own, as a Word or
    web copy often has it ("Background" as a plain line, the unnumbered paragraphs after
    it), which a text file's reader would have made a heading."""
    from .readers.common import is_title_like

    out: list[Clause] = []
    under_title = False
    for c in clauses:
        paragraph = str(c.number).startswith("¶") and not c.heading
        if paragraph and len(c.sentences) == 1 and is_title_like(c.sentences[0]):
            under_title = not operative_heading(c.sentences[0], lexicon)
        if not paragraph:
            under_title = False
        if under_title or not operative_heading(c.heading, lexicon):
            continue
        out.append(c)
    return out


def judge(
    clauses: list[Clause],
    per_model: dict[str, list[Match]],
    models: list[Model] | tuple[Model, ...],
    rubric: Rubric,
    towns: tuple[str, ...] = (),
) -> Scorecard:
    """The seven findings, in the guide's order."""
    lexicon = load_lexicon()
    operative = _operative_clauses(clauses, lexicon)
    sentences = _sentences(operative, towns)
    clause_norms = {c.number: normalize(c.text, towns) for c in operative}
    model_map = {m.id: m for m in models}
    order = {c.number: i for i, c in enumerate(clauses)}
    citations = {c.number: c.citation for c in clauses}
    readings = _provisions(operative, lexicon) + _forbidden_definitions(clauses, lexicon)
    forms = [reading_form(r) for _, _, r in readings]
    leads = _lead_ins(readings)
    agreement = is_agreement_document(forms, lexicon)
    agreement_quote = next(((c, q) for (c, q, _), f in zip(readings, forms) if f == agreement), None) if agreement else None
    # The first sentence that switches the policy's protections off, read once for all questions.
    switch_off = next(((c, q, why) for c, q, r in readings if (why := disapplies(r, lexicon)) is not None), None)
    sentence_readings = {q.id: [(c, quoted, r) for c, quoted, read in readings
                                if (r := read_sentence(quoted, read, lexicon, q.id)) is not None]
                         for q in rubric.questions}
    # The questions each sentence answers red or green: a sentence that names another
    # question's topic only inside them ("will not share information on the immigration
    # status of …" is about sharing, not about asking) is no unclear answer to that question.
    clear: dict[tuple[str, str], set[str]] = {}
    for q, found in sentence_readings.items():
        for c, quoted, r in found:
            if r.color in ("red", "green"):
                clear.setdefault((c.number, quoted), set()).add(q)
    findings = []
    for question in rubric.questions:
        evidence: list[Evidence] = []
        for flag in question.flags:
            evidence.extend(_flag_evidence(flag, question, sentences, clause_norms))
        provided = _provision_evidence(question, sentence_readings[question.id], clear, lexicon)
        colours = {(e.clause, e.text): e.flag for e in provided}
        evidence.extend(_model_evidence(question, clauses, per_model, model_map, sentences, colours))
        evidence.extend(provided)
        if switch_off is not None and any(e.flag == "green" for e in provided):
            clause, quoted, why = switch_off
            reason = next((f.description for f in question.red if not f.mentions), "")
            evidence.append(Evidence(clause.number, "red", quoted, f"rubric:{question.id}", 100.0, f"{reason} (an exception swallows the rule: '{why}')"))
        if agreement_quote is not None and question.id in _AGREEMENT_QUESTIONS:
            clause, quoted = agreement_quote
            evidence.append(Evidence(clause.number, "red", quoted, f"rubric:{question.id}", 100.0, _AGREEMENT_REASON))
        if not any(e.flag == "green" for e in evidence):
            for flag in question.red:
                if not flag.mentions:
                    continue
                for clause, quoted, read in readings:
                    # Only a provision that deals with detainers shows the gap: a title, a
                    # definition or a finding that names them does not. A list item is read
                    # with its lead-in ("No town may prohibit: (1) complying with a detainer").
                    if any(compile_phrase(p).search(reading_form(read)) for p in flag.mentions) and _is_provision(read, lexicon):
                        evidence.append(Evidence(clause.number, "red", quoted, f"rubric:{question.id}", 100.0, flag.description, missing=True))
                        break
        evidence = [replace(e, cite=citations.get(e.clause, e.clause), text=_with_lead(e, leads)) for e in _dedupe(evidence, order)]
        colors = {e.flag for e in evidence}
        verdict: Verdict = "red" if "red" in colors else "green" if "green" in colors else "unclear" if colors else "silent"
        if verdict in ("red", "green"):
            evidence = [e for e in evidence if e.flag != "unclear"]
        findings.append(
            Finding(
                question=question.id,
                text=question.text,
                verdict=verdict,
                evidence=tuple(evidence),
                gap=question.silence if verdict == "silent" else "",
                ask=question.ask,
            )
        )
    return Scorecard(tuple(findings))


_AGREEMENT_QUESTIONS = ("status_checks", "info_sharing", "resources", "agreements_287g")
_AGREEMENT_REASON = "The text is itself a 287(g) agreement: it delegates immigration powers to local officers."
_ANAPHORA = re.compile(r"\b(?:these|such|those|this|that|the)\s+(agreements?|programs?|memorand(?:a|um)|contracts?)\b", re.I)
_NAMES_287G = re.compile(r"\b(?:287|1357)\s*\(\s*g\s*\)", re.I)


def _provisions(clauses: list[Clause], lexicon) -> list[tuple[Clause, str, str]]:
    """(clause, sentence as quoted, sentence as read) for every operative sentence, list
    items carrying their lead-in, "these agreements" read as the 287(g) agreements the
    sentence before named, and an exception "in accordance with Section 7282.5" read with
    the conditions that section of the same text sets."""
    out = []
    named_287g = False
    pairs = [(c, s) for c in clauses for s in c.sentences]
    # Only a text that cites one of its own sections needs them (most never do, and reading
    # every sentence for its conditions was a tenth of a survey's time).
    cites = any(_CITED_SECTION.search(s) for _, s in pairs)
    conditions = _section_conditions(pairs, lexicon) if cites else {}
    for c, quoted, read in expand_items_keyed(pairs, lexicon):
        if _NAMES_287G.search(read):
            named_287g = True
        elif named_287g and _ANAPHORA.search(read):
            read = _ANAPHORA.sub(lambda m: "287(g) " + m.group(1), read, count=1)
        if conditions:
            read = _CITED_SECTION.sub(lambda m: _with_conditions(m, conditions), read)
        named = _IMMIGRATION_ENFORCEMENT.search(read)
        if named is not None:
            # "… working with federal agencies for the purposes of federal immigration
            # enforcement, nor shall the Governor prohibit … assistance that aids in such
            # enforcement": the enforcement named before
            read = read[: named.end()] + _SUCH_ENFORCEMENT.sub(named.group(0), read[named.end():])
        status_info = _STATUS_INFORMATION.search(read)
        if status_info is not None:
            # "… information regarding the citizenship or immigration status …: (1)
            # Prohibit officials from gathering such information": the same information
            head, tail = read[: status_info.end()], read[status_info.end():]
            read = head + _SUCH_INFORMATION.sub(status_info.group(0), tail)
        out.append((c, quoted, read))
    return out


_STATUS_INFORMATION = re.compile(
    r"\binformation (?:regarding|concerning|about|relating to|on|as to) (?:the |a person's |an individual's |any person's )?"
    r"(?:citizenship or immigration|immigration or citizenship|immigration|citizenship) status\b",
    re.I,
)
_SUCH_INFORMATION = re.compile(r"\bsuch information\b", re.I)
_IMMIGRATION_ENFORCEMENT = re.compile(r"\b(?:federal |civil )?immigration enforcement\b", re.I)
_SUCH_ENFORCEMENT = re.compile(r"\bsuch enforcement\b", re.I)


# "7282.5. (a) A law enforcement official …": where a section of the text begins.
_SECTION_START = re.compile(r"(?:^|:\s+)(\d{2,5}(?:\.\d{1,3})*)\.\s+(?=\(|[A-Z])")
# "… unless authorized by a judicial warrant, or in accordance with Section 7282.5."
_CITED_SECTION = re.compile(r"\b(?:in accordance with|pursuant to|under|as provided in|consistent with)\s+(?:section|§)\s*(\d{2,5}(?:\.\d{1,3})*)", re.I)


def _section_conditions(pairs, lexicon) -> dict[str, str]:
    """For each section the text itself contains, the first words of it that name the
    convictions, felonies or other reasons the guide says swallow a rule ("The
    individual has been convicted of a serious or violent felony"): an exception that
    cites the section brings them with it. Sections of other laws are not read."""
    words: dict[str, list[str]] = {}
    current = None
    last_clause = None
    for clause, sentence in pairs:
        if clause is not last_clause:
            last_clause = clause
            number = str(getattr(clause, "number", "")).rstrip(".")
            if re.fullmatch(r"\d{2,5}(?:\.\d{1,3})*", number):
                current = number  # the segmenter took "7282.5." as the clause's number
        m = _SECTION_START.search(sentence)
        if m:
            current = m.group(1)
            sentence = sentence[m.end():]
        if current is None or _CITED_SECTION.search(sentence):
            continue
        form = reading_form(sentence)
        for rx in lexicon.swallowing:
            for hit in rx.finditer(form):
                seen = words.setdefault(current, [])
                if hit.group(0) not in seen and len(seen) < 4:
                    seen.append(hit.group(0))
    return {section: ", ".join(found) for section, found in words.items()}


def _with_conditions(m: re.Match[str], conditions: dict[str, str]) -> str:
    cited = m.group(1).rstrip(".")
    return f"{m.group(0)} (in cases of {conditions[cited]})" if cited in conditions else m.group(0)


# '"Sanctuary policy" means a policy … that prohibits or impedes any entity from:' — a
# definition whose items are what the law then forbids anyone to restrict.
_RESTRICTING_DEFINITION = re.compile(
    r"""^\W*(?:\(?\w{1,3}[.)]\s*)*["“'‘]?(?P<term>[A-Za-z][\w\s-]{2,40}?)["”'’]?\s+(?:means|includes|shall mean|shall include)\b"""
    r""".*\b(?:prohibits?|impedes?|restricts?|limits?|prevents?|prohibiting|restricting|limiting)\b.*:\s*$""",
    re.IGNORECASE,
)


# '"Sanctuary policy", any municipality's order or ordinance, enacted or followed that:' —
# a term defined by a list whose items say what the forbidden policy restricts ("(a)
# Limits or prohibits any official from communicating … with federal agencies").
_LISTED_DEFINITION = re.compile(
    r"""^\W*(?:\(?\w{1,3}[.)]\s*)*["“](?P<term>[A-Za-z][\w\s-]{2,40}?)[,]?["”],?\s+(?:means\s+|includes\s+)?.*\b(?:that|which)\s*:\s*$""",
    re.IGNORECASE,
)


def _forbidden_definitions(clauses: list[Clause], lexicon) -> list[tuple[Clause, str, str]]:
    """Anti-sanctuary laws define what they forbid ("a sanctuary policy prohibits or
    impedes: (1) communicating with ICE; (2) complying with a detainer …") and then forbid
    it ("may not adopt or have in effect a sanctuary policy"). Each item then reads as a
    duty not to restrict cooperation: "No entity may prohibit communicating with ICE"."""
    pairs = [(c, s) for c in clauses for s in c.sentences]
    found: list[tuple[Clause, str, str]] = []
    for k, (c, s) in enumerate(pairs):
        m = _RESTRICTING_DEFINITION.match(s)
        listed = None if m else _LISTED_DEFINITION.match(s)
        if not m and not listed:
            continue
        m = m or listed
        term = reading_form(m.group("term"))
        if len(term.split()) > 5:
            continue
        forbidden = False
        for _, other in pairs:
            form = reading_form(other)
            at = f" {form} ".find(f" {term} ")
            if at < 0 or other is s or not operative_sentence(form, lexicon):
                continue
            st = stance(form, at, lexicon, at + len(term))
            if st.provision and st.forbidden:
                forbidden = True
                break
        if not forbidden:
            continue
        for c2, item in pairs[k + 1:]:
            text = re.sub(r"^\W*\(?\w{1,3}[.)]\s*", "", item).strip().rstrip(";,.").strip()
            text = re.sub(r"[;,]?\s*\b(?:and|or)$", "", text, flags=re.IGNORECASE).strip()
            if listed is not None:
                # the item names the restriction itself: "Limits or prohibits any official
                # from communicating …" reads "No entity may adopt a policy that limits …"
                if not text or _RESTRICTING_DEFINITION.match(item) or _LISTED_DEFINITION.match(item) or not opens_with_restriction(text, lexicon):
                    break
                found.append((c2, item, f"No entity may adopt a policy that {text[:1].lower()}{text[1:]}"))
                continue
            if not text or _RESTRICTING_DEFINITION.match(item) or (len(text.split()) > 4 and stance(reading_form(text), len(reading_form(text)), lexicon).provision):
                break
            found.append((c2, item, f"No entity may prohibit {text}"))
    return found


def _is_provision(sentence: str, lexicon) -> bool:
    """An operative sentence under a modal or a negation: it directs someone."""
    form = reading_form(sentence)
    return operative_sentence(form, lexicon) and stance(form, len(form), lexicon).provision


def _lead_ins(readings: list[tuple[Clause, str, str]]) -> dict[tuple[str, str], str]:
    """The lead-in each list item was read under ("Specifically, no agency or agent shall"
    for "(5) transfer any person into ICE custody …"), by (clause, item as quoted)."""
    leads = {}
    for clause, quoted, read in readings:
        item = item_text(quoted)
        if read != quoted and item and read.endswith(f": {item}"):
            lead = read[: -len(item) - 2].strip()
            if lead and lead not in quoted:
                leads[(clause.number, quoted)] = lead
    return leads


def _with_lead(e: Evidence, leads: dict[tuple[str, str], str]) -> str:
    """A list item quoted with the lead-in it is read under, so that the quote says what
    it says: "Specifically, no agency or agent shall: … (5) transfer any person into ICE
    custody …", not the bare item, which reads as the opposite. An `unclear` quote stays
    the sentence alone (the draft finds it by its words)."""
    lead = leads.get((e.clause, e.text)) if e.flag != "unclear" else None
    return f"{lead}: … {e.text}" if lead else e.text


def _provision_evidence(question: Question, found_readings: list[tuple[Clause, str, Reading]],
                        clear: dict[tuple[str, str], set[str]], lexicon) -> list[Evidence]:
    """Evidence from the sentences read on this question; `clear` names the questions each
    sentence answers red or green."""
    found = []
    meaning = (lexicon.meaning or {}).get(question.id, {})
    for clause, quoted, r in found_readings:
        if r.why == TOPIC_ONLY and clear.get((clause.number, quoted), set()) - {question.id}:
            continue
        reason = meaning.get(r.color, "") if r.color != "unclear" else "The policy speaks to this question here, in words the tool cannot classify: read this clause yourself."
        if r.why and r.color != "unclear" and r.why not in ("allowed", "forbidden", "required", "red flag language"):
            reason = f"{reason} ({r.why})" if reason else r.why
        found.append(Evidence(clause.number, r.color, quoted, f"rubric:{question.id}", 100.0, reason))
    return found


def _dedupe(evidence: list[Evidence], order: dict[str, int]) -> list[Evidence]:
    """One entry per (clause, flag, sentence), the strongest; red first, then policy order."""
    best: dict[tuple[str, str, str], Evidence] = {}
    for e in evidence:
        key = (e.clause, e.flag, e.text)
        kept = best.get(key)
        # Prefer a model-clause match (it names where the language comes from).
        if kept is None or (kept.matched.startswith("rubric:") and not e.matched.startswith("rubric:")):
            best[key] = e
    rank = {"red": 0, "green": 1, "unclear": 2}
    # Within a clause, the policy's own order (the sort is stable): the sentence a reader
    # meets first is the one quoted first.
    return sorted(best.values(), key=lambda e: (rank.get(e.flag, 3), order.get(e.clause, 0), e.matched.startswith("rubric:"), -e.score))
