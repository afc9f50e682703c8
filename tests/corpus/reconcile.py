"""Reconcile two blind readings of the corpus into `labels.json`.

Rules (also in LABELLING.md): a verdict both readers give is kept; a verdict one reader
gives firmly and the other gives as tentative with the same colour is kept; anything else
one reader gives and the other does not is left out and listed under `disputed`, except
where `ADJUDICATED` below records a decision and its reason. Shares are the mean of the two
readers' ranges; the family is kept when both readers name the same one.

    python3 tests/corpus/reconcile.py            # the development corpus (readers a-d)
    python3 tests/corpus/reconcile.py tests/heldout   # a held-out set (its two readers)
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS = ("status_checks", "info_sharing", "lunn", "detainers", "raids", "resources", "agreements_287g")
PAIRS = (("reader-a.json", "reader-b.json"), ("reader-c.json", "reader-d.json"))
# (file, question): (verdict, why) — decided by the maintainers where the readers split.
ADJUDICATED = {
    ("ma-barnstable-county-sheriff_287g-moa-former.txt", "resources"): ("red", "a 287(g) agreement commits department personnel to immigration enforcement (issue 11: a 287(g) agreement itself is red on resources)"),
    ("ma-doc_287g-moa-former.txt", "resources"): ("red", "a 287(g) agreement commits department personnel to immigration enforcement"),
    ("ma-plymouth-county-sheriff_287g-jail-enforcement-moa.txt", "resources"): ("red", "a 287(g) agreement commits department personnel to immigration enforcement"),
}
# file: ([low, high], why) — a share the readers estimated against a rule they were not given.
ADJUDICATED_SHARES = {
    "ca-davis_pd-policy-2-43-a-immigration-procedures.txt": ([0.33, 0.5], "one reader (0-0.05) did not see the Lexipol wording, the other gave 0.25-0.50, and the mean of the two ranges is below any count; counted: the first three sentences of I. POLICY (99 words) are Lexipol 428.2/428.3 nearly word for word and its last (37 words) is Lexipol's with 'an individual' for 'a victim or witness', of the excerpt's 300 words (282 in the policy's text): 0.33 counting the three, 0.48 with the fourth"),
    "al-lincoln_pd-414-immigration-violations.txt": ([0.9, 1.0], "both readers counted the general order's 45-word cover block (subject, dates, accreditation, approving chief) as the department's words; the share is of the policy's text, as the readers' ranges for Sonoma's 428 and Corpus Christi's 332 (which have cover blocks of 56 and 46 words) count it: all 187 words of its four sections are Lexipol's 413 wording with the department's and the state's names"),
    "ny-suny-brockport_immigration-enforcement-policy.txt": ([0.39, 0.41], "the readers (0.6-0.9, 0.7-0.95) took the whole page for the template's; counted: of the excerpt's 271 words, 110 are the template's Objective #1 with 'University Police' for '[The LEA]' (105 without the item numbers; its last sentence is cut off after 'otherwise en'), and 161 are the page's fields, policy statement, purpose, applicability and definitions, none of whose sentences is in the template's public copy"),
    "wa-snohomish-county-sheriff_immigration-faq-quoting-428.txt": ([0.29, 0.34], "an FAQ page quoting the policy: the readers' 0.35-0.68 counted more than the quotations; counted: of the excerpt's 286 words, the two quoted paragraphs (82 words) are 428's victims-and-witnesses text word for word, a third quotation (14 words, cut off) is 428 wording no public edition has, and the questions and answers around them are the Sheriff's Office's own: 0.29 to 0.34"),
    "nj-attorney-general_press-release-immigrant-trust-directive-2018-6.txt": ([0.9, 1.0], "the Attorney General's own text, every sentence of it (see ADJUDICATED_FAMILIES)"),
    "benton-county-wa_413-immigration-violations.txt": ([0.05, 0.2], "413.1.1 DEFINITIONS (245 of the excerpt's 312 words) is marked 'Agency Content' in the manual; issue 12 counts Agency Content as the department's own words, which the readers' estimates (0.80-1.00) did not"),
}


# file: (family id, why) — a template family both readers named, in words of their own.
ADJUDICATED_FAMILIES = {
    "vt-vcjc_model-fair-impartial-policing-policy-2024.txt": ("vt-fair-impartial-policing", "the readers named it 'vt-vcjc-model-fair-impartial-policing' and 'vcjc-model-fip': the Council's model policy itself"),
    "vt-dmv-enforcement_fair-and-impartial-policing-policy.txt": ("vt-fair-impartial-policing", "the readers named 'vermont-fip-model' and 'vcjc-fair-impartial-policing': the Council's model policy"),
    "vt-vcjc_statement-to-communities-fair-impartial-policing.txt": ("vt-fair-impartial-policing", "the readers named 'vermont-fip-model' and 'vcjc-fair-impartial-policing': the Council's letter summing up its model policy"),
    "nj-lakewood_pd-immigrant-trust-directive-page.txt": ("nj-immigrant-trust-directive", "both readers named 'nj-ag-immigrant-trust-directive': the Attorney General's summary of Directive 2018-6"),
    "nj-newton-pd_immigrant-trust-directive-page.txt": ("nj-immigrant-trust-directive", "the readers named 'nj-ag-directive' and 'nj-ag-immigrant-trust-directive': the Attorney General's summary of Directive 2018-6"),
    "nj-attorney-general_press-release-immigrant-trust-directive-2018-6.txt": ("nj-immigrant-trust-directive", "the Attorney General's own announcement of the Directive, whose summary of the rules departments repeat: the family's own publication (an edition is copied from it), not a department's text, which the readers' 'own' label took it for"),
    "co-parker-pd_immigration-policy-4-27-statement-2017.txt": (None, "one reader named the CACP statement, the other none: the department's own policy, which quotes one sentence of the statement (cut off in the copy); not built from it"),
    "co-englewood-pd_cacp-position-statement-immigration-law.txt": ("cacp-position-statement", "both readers named 'cacp-position-statement': the department posts the statement as its policy"),
}


def _tentative(reading: dict, q: str):
    t = (reading.get("tentative") or {}).get(q)
    return t[0] if isinstance(t, list) and t else t


def main() -> None:
    here = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    if here == HERE:
        pairs = PAIRS
    else:
        # a held-out set has one pair of readers, whatever their letters
        readers = sorted(p.name for p in (here / "labels").glob("reader-*.json"))
        if len(readers) != 2:
            raise SystemExit(f"{here / 'labels'}: expected two reader-*.json files, found {len(readers)}")
        pairs = (tuple(readers),)
    out: dict[str, dict] = {}
    for a_name, b_name in pairs:
        a = json.loads((here / "labels" / a_name).read_text(encoding="utf-8"))
        b = json.loads((here / "labels" / b_name).read_text(encoding="utf-8"))
        for name in sorted(set(a) | set(b)):
            x, y = a.get(name, {}), b.get(name, {})
            verdicts, quotes, disputed = {}, {}, {}
            for q in QUESTIONS:
                vx, vy = x.get("verdicts", {}).get(q), y.get("verdicts", {}).get(q)
                if (name, q) in ADJUDICATED:
                    verdicts[q], why = ADJUDICATED[(name, q)]
                    quotes[q] = x.get("quotes", {}).get(q) or y.get("quotes", {}).get(q) or why
                    continue
                if vx is None and vy is None:
                    continue
                if vx == vy or (vx and not vy and _tentative(y, q) == vx) or (vy and not vx and _tentative(x, q) == vy):
                    verdicts[q] = vx or vy
                    quotes[q] = (x.get("quotes", {}).get(q) if vx else None) or y.get("quotes", {}).get(q, "")
                else:
                    disputed[q] = [vx or f"tentative {_tentative(x, q)}", vy or f"tentative {_tentative(y, q)}"]
            shares = [r["share"] for r in (x, y) if r.get("share")]
            share = [round(sum(s[0] for s in shares) / len(shares), 3), round(sum(s[1] for s in shares) / len(shares), 3)] if shares else None
            if name in ADJUDICATED_SHARES:
                share = ADJUDICATED_SHARES[name][0]
            fams = [r.get("family") for r in (x, y)]
            family = fams[0] if fams[0] == fams[1] else None
            adjudicated = name in ADJUDICATED_FAMILIES
            if adjudicated:
                family = ADJUDICATED_FAMILIES[name][0]
            entry = {"verdicts": verdicts, "quotes": quotes, "share": share, "family": family}
            if fams[0] != fams[1] and not adjudicated:
                entry["family_readings"] = fams
            if disputed:
                entry["disputed"] = disputed
            out[name] = entry
    (here / "labels.json").write_text(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    n = sum(len(e["verdicts"]) for e in out.values())
    d = sum(len(e.get("disputed", {})) for e in out.values())
    print(f"{len(out)} texts, {n} reconciled verdicts, {d} left out as disputed")


if __name__ == "__main__":
    main()
