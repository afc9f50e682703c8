"""Fidelity of the Word redline on public Word test documents: does an independent reader get
back exactly the revised text (accept all) and exactly the original (reject all)?

    .venv/bin/python bench/bench_fidelity.py [DIR ...] [--pool DIR] [--limit N] [--failures] [--no-redlines]
                                             [--redlines-python PY]

Pairs, from each DIR (default: tests/fixtures/docx/superdoc-diffing, vendored with its
source and licence; ../shared/fixtures/docx; and /tmp/fx if it holds the fetched fixture
repositories -- see ../shared/fixtures/docx/README.md for where they come from; a pair found
twice, by file names and sizes, is counted once):

  * ``file_N.docx -> file_N+1.docx`` where both exist (the jubarte-redlines pools of the
    neurotic_docx_bench redline track);
  * ``diff_beforeK.docx -> diff_afterK.docx`` (SuperDoc's diffing fixtures);
  * ``*.before.docx -> *.after.docx``;
  * with ``--pool DIR``, each .docx of DIR with the next one by name (unrelated documents:
    the redline must still hold).

For each pair: our redline (`redline_pair`, what `redline compare NEW --against OLD --format
docx` writes), then pandoc reads it with ``--track-changes=accept`` and ``=reject``. Texts
are compared as pandoc's words (every ``Str`` of its JSON AST, so whitespace and list-label
rendering do not count). Counted per pair: accept exact, reject exact, both; refused (our
error), parts other than the body byte-identical to the original's (styles, numbering and
notes may only gain the definitions and notes new paragraphs use). With python-redlines installed (pip install "python-redlines[docxodus]"), the
same counts for its redline on the same pairs (``--redlines-python`` names another
interpreter that has it, e.g. a separate venv); otherwise a line saying it was not measured.
With ``--failures``, the pairs that do not round-trip, and those whose Accept All pandoc reads
exactly in python-redlines' redline but not in ours, each saying whether ours is exact once
pandoc's own artefacts are left out.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

from policy_redline.writers.docx_package import redline_pair  # noqa: E402

# SuperDoc's diffing pairs, vendored with their licence (ODC-By) and source
VENDORED = ROOT / "tests" / "fixtures" / "docx" / "superdoc-diffing"
DEFAULT_DIRS = [VENDORED, ROOT.parent / "shared" / "fixtures" / "docx", Path("/tmp/fx")]


def find_pairs(dirs: list[Path]) -> list[tuple[Path, Path]]:
    pairs: list[tuple[Path, Path]] = []
    seen: set[tuple[str, str]] = set()
    for d in dirs:
        if not d.is_dir():
            continue
        files = sorted(d.rglob("*.docx"))
        by_name = {f.name: f for f in files}
        for f in files:
            m = re.fullmatch(r"file_(\d+)\.docx", f.name)
            if m and f"file_{int(m.group(1)) + 1}.docx" in by_name:
                cand = (f, by_name[f"file_{int(m.group(1)) + 1}.docx"])
            else:
                m = re.fullmatch(r"diff_before(\d*)\.docx", f.name)
                if m and f"diff_after{m.group(1)}.docx" in by_name:
                    cand = (f, by_name[f"diff_after{m.group(1)}.docx"])
                elif f.name.endswith(".before.docx") and f.name.replace(".before.", ".after.") in by_name:
                    cand = (f, by_name[f.name.replace(".before.", ".after.")])
                else:
                    continue
            key = (cand[0].name + str(cand[0].stat().st_size), cand[1].name + str(cand[1].stat().st_size))
            if key not in seen:
                seen.add(key)
                pairs.append(cand)
    return pairs


def pandoc_words(path: Path, mode: str) -> list[str] | None:
    """The text pandoc reads in a .docx, as plain text split on whitespace (None if pandoc
    cannot read it)."""
    try:
        out = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", f"--track-changes={mode}", str(path)],
                             capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        return None
    return out.stdout.decode("utf-8", "replace").split()


def pandoc_pruned(path: Path, mode: str) -> str | None:
    """pandoc's plain text less its own artefacts of tracked changes: a list item or a table
    whose text is all tracked keeps its label or its empty shell in pandoc 2.x (Word and
    LibreOffice remove them), so list items and tables left with no text are dropped before
    the text is written. Whitespace-normalised; None if pandoc cannot read the file."""
    try:
        raw = subprocess.run(["pandoc", "-f", "docx", "-t", "json", f"--track-changes={mode}", str(path)],
                             capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None
    if raw.returncode != 0:
        return None
    ast = json.loads(raw.stdout)

    def has_text(node) -> bool:
        if isinstance(node, dict):
            return node.get("t") in ("Str", "Code", "Math", "Image") or any(has_text(v) for v in node.values())
        if isinstance(node, list):
            return any(has_text(v) for v in node)
        return False

    def prune(node):
        if isinstance(node, list):
            return [prune(v) for v in node if not (isinstance(v, dict) and v.get("t") in ("Table", "OrderedList", "BulletList")
                                                   and not has_text(v))]
        if isinstance(node, dict):
            if node.get("t") in ("OrderedList", "BulletList"):
                items = node["c"][1] if node["t"] == "OrderedList" else node["c"]
                kept = [prune(i) for i in items if has_text(i)]
                if node["t"] == "OrderedList":
                    node["c"][1] = kept
                else:
                    node["c"] = kept
                return node
            return {k: prune(v) for k, v in node.items()}
        return node

    ast["blocks"] = prune(ast["blocks"])
    out = subprocess.run(["pandoc", "-f", "json", "-t", "plain", "--wrap=none"], input=json.dumps(ast).encode(),
                         capture_output=True, timeout=120)
    return " ".join(out.stdout.decode("utf-8", "replace").split()) if out.returncode == 0 else None


W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TRACKED_PARTS = re.compile(r"(^|/)(header\d*|footer\d*|footnotes|endnotes)\.xml$")


# Formatting changes Reject All undoes: the properties element each one sits in, and the
# children of that element that are not formatting (revision marks of a paragraph mark or a
# row, a paragraph's run properties and section), which keep their place.
_PROPERTY_CHANGES = {"rPrChange": ("rPr", ("ins", "del", "moveFrom", "moveTo")), "pPrChange": ("pPr", ("rPr", "sectPr")),
                     "tblPrChange": ("tblPr", ()), "tblGridChange": ("tblGrid", ()), "trPrChange": ("trPr", ("ins", "del")),
                     "tcPrChange": ("tcPr", ()), "tblPrExChange": ("tblPrEx", ())}


def _restore_properties(root) -> None:
    """Each recorded formatting change put back: the properties recorded in it replace the
    element's own (a run, paragraph, table, row or cell gets its original look back)."""
    w = lambda tag: f"{{{W_MAIN}}}{tag}"  # noqa: E731
    for change_tag, (tag, kept) in _PROPERTY_CHANGES.items():
        for change in list(root.iter(w(change_tag))):
            props = change.getparent()
            recorded = change.find(w(tag))
            if props is None or props.tag != w(tag):
                continue
            marks = [c for c in props if c.tag in {w(k) for k in kept}]
            for c in list(props):
                props.remove(c)
            restored = list(recorded) if recorded is not None else []
            leading = tag == "rPr"  # a paragraph mark's revision marks come first in its rPr
            for c in (marks + restored) if leading else (restored + marks):
                props.append(c)


def reject_all(root) -> None:
    """Reject All on one part, in place: every insertion becomes a deletion and the other way
    round (their text with them), every recorded formatting change is put back, then
    everything is accepted."""
    from policy_redline.writers.docx_package import accept_existing

    _restore_properties(root)
    ins, dele = f"{{{W_MAIN}}}ins", f"{{{W_MAIN}}}del"
    for el in root.iter(ins, dele):
        el.tag = dele if el.tag == ins else ins
    for el in root.iter(f"{{{W_MAIN}}}t", f"{{{W_MAIN}}}delText"):
        deleted = any(a.tag == dele for a in el.iterancestors())
        el.tag = f"{{{W_MAIN}}}delText" if deleted else f"{{{W_MAIN}}}t"
    accept_existing(root, W_MAIN)


def _part_words(root) -> list[str]:
    return "".join(t.text or "" for t in root.iter(f"{{{W_MAIN}}}t")).split()


def other_parts_identical(original: bytes, result: bytes) -> bool:
    """Every part but the main document, the relationships and the content types is byte for
    byte the original's -- except the styles, numbering and notes parts, which may gain the
    definitions and notes new paragraphs use (every original one kept, byte for byte), and
    headers, footers and notes the revised document changed, which may carry tracked changes
    whose Reject All gives back the original's text."""
    from lxml import etree

    from policy_redline.writers.docx_package import accept_existing

    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(result)) as b:
        mine = {i.filename for i in b.infolist()}
        for info in a.infolist():
            name = info.filename
            if name.endswith("document.xml") or name.endswith(".rels") or name == "[Content_Types].xml" or info.is_dir():
                continue
            if name not in mine:
                return False
            before, after = a.read(name), b.read(name)
            if before == after:
                continue
            if not name.endswith(("styles.xml", "numbering.xml", "footnotes.xml", "endnotes.xml")) and not _TRACKED_PARTS.search(name):
                return False
            old_children = {etree.tostring(c) for c in etree.fromstring(before)}
            new_children = {etree.tostring(c) for c in etree.fromstring(after)}
            if old_children <= new_children:
                continue
            if not _TRACKED_PARTS.search(name):
                return False
            was, rejected = etree.fromstring(before), etree.fromstring(after)
            accept_existing(was, W_MAIN)
            reject_all(rejected)
            if name.endswith(("footnotes.xml", "endnotes.xml")):  # notes may only have been added
                notes = {n.get(f"{{{W_MAIN}}}id"): n for n in rejected if isinstance(n.tag, str)}
                for n in was:
                    if not isinstance(n.tag, str):
                        continue
                    kept = notes.get(n.get(f"{{{W_MAIN}}}id"))
                    if kept is None or _part_words(kept) != _part_words(n):
                        return False
            elif _part_words(was) != _part_words(rejected):
                return False
    return True


_OBJECTS = ("drawing", "pict", "object", "fldSimple", "hyperlink", "footnoteReference", "endnoteReference")
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"


def _objects(root) -> dict[str, int]:
    """The objects a reader shows that the word diff cannot read: pictures, embedded objects,
    equations, fields, links and note references (an equation, link or simple field only with
    text in it: a tracked one leaves its empty shell behind when its runs are taken out)."""
    w = lambda t: f"{{{W_MAIN}}}{t}"  # noqa: E731
    out = {}
    for name in _OBJECTS:
        found = root.iter(w(name))
        if name in ("hyperlink", "fldSimple"):
            found = [x for x in found if "".join(t.text or "" for t in x.iter(w("t"))).strip()]
        out[name] = sum(1 for _ in found)
    out["oMath"] = sum(1 for x in root.iter(_MATH) if "".join(t.text or "" for t in x.iter(_MATH[:-5] + "t")).strip())
    out["field"] = sum(1 for x in root.iter(w("fldChar")) if x.get(w("fldCharType")) == "begin")
    return out


def objects_kept(original: bytes, revised: bytes, result: bytes) -> bool:
    """Accept All has the revised document's objects, Reject All the original's: none dropped,
    none doubled (counted in the main document, by kind)."""
    from lxml import etree

    from policy_redline.writers.docx_package import DocxPackage, accept_existing

    def body(data: bytes):
        pkg = DocxPackage(data)
        if pkg.W != W_MAIN:
            return None
        return etree.fromstring(pkg.parts[pkg.main])

    roots = [body(x) for x in (original, revised, result, result)]
    if any(r is None for r in roots):
        return True  # a strict-namespace document: not counted here
    old, new, accepted, rejected = roots
    for r in (old, new, accepted):
        accept_existing(r, W_MAIN)
    reject_all(rejected)
    return _objects(accepted) == _objects(new) and _objects(rejected) == _objects(old)


def _pruned_ok(out: Path, old: Path, new: Path) -> bool:
    acc, rej = pandoc_pruned(out, "accept"), pandoc_pruned(out, "reject")
    return acc is not None and acc == pandoc_pruned(new, "accept") and rej == pandoc_pruned(old, "accept")


def measure_ours(pairs, tmp: Path) -> dict:
    counts = {"pairs": len(pairs), "accept": 0, "reject": 0, "both": 0, "refused": 0, "unreadable": 0,
              "parts_identical": 0, "seconds": 0.0, "pruned_both": 0, "objects_kept": 0}
    failures = []
    missed = {}  # (old, new) -> our redline, where pandoc's Accept All reading is not the revised text
    for k, (old, new) in enumerate(pairs):
        old_b, new_b = old.read_bytes(), new.read_bytes()
        want_old, want_new = pandoc_words(old, "accept"), pandoc_words(new, "accept")
        if want_old is None or want_new is None:
            counts["unreadable"] += 1  # pandoc itself cannot read an input: not counted either way
            continue
        t0 = time.perf_counter()
        try:
            data = redline_pair(old_b, new_b, old_source=str(old), new_source=str(new))
        except Exception as exc:  # noqa: BLE001 - a refusal is a count here
            counts["refused"] += 1
            failures.append((old.name, new.name, f"refused: {type(exc).__name__}: {exc}"[:160]))
            continue
        counts["seconds"] += time.perf_counter() - t0
        out = tmp / f"ours-{k}.docx"
        out.write_bytes(data)
        acc, rej = pandoc_words(out, "accept"), pandoc_words(out, "reject")
        a_ok, r_ok = acc == want_new, rej == want_old
        counts["accept"] += a_ok
        counts["reject"] += r_ok
        counts["both"] += a_ok and r_ok
        if not a_ok:
            missed[(old, new)] = out
        counts["parts_identical"] += other_parts_identical(old_b, data)
        counts["objects_kept"] += objects_kept(old_b, new_b, data)
        counts["pruned_both"] += _pruned_ok(out, old, new)
        if not (a_ok and r_ok):
            failures.append((old.name, new.name, f"accept {'ok' if a_ok else 'differs'}, reject {'ok' if r_ok else 'differs'}"))
    counts["failures"] = failures
    counts["accept_missed"] = missed
    return counts


_THEIRS = r"""
import json, sys
jobs = json.loads(sys.stdin.read())
from python_redlines.engines import DocxodusEngine
engine = DocxodusEngine()
for old, new, out in jobs:
    try:
        result = engine.run_redline("redline", open(old, "rb").read(), open(new, "rb").read())
        data = result[0] if isinstance(result, tuple) else result
        open(out, "wb").write(data)
        print("ok", flush=True)
    except Exception as exc:
        print("refused", type(exc).__name__, flush=True)
"""


def measure_python_redlines(pairs, tmp: Path, python: str) -> dict | str:
    """python-redlines' Docxodus engine on the same pairs, run by `python` (an interpreter
    where `pip install "python-redlines[docxodus]"` worked)."""
    probe = subprocess.run([python, "-c", "from python_redlines.engines import DocxodusEngine; DocxodusEngine()"],
                           capture_output=True, text=True, timeout=300)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"not measured: python-redlines[docxodus] cannot be used by {python} ({last[:200]})"
    jobs, keep = [], []
    for k, (old, new) in enumerate(pairs):
        jobs.append((str(old), str(new), str(tmp / f"theirs-{k}.docx")))
        keep.append((old, new))
    run = subprocess.run([python, "-c", _THEIRS], input=json.dumps(jobs), capture_output=True, text=True, timeout=3600)
    counts = {"pairs": len(pairs), "accept": 0, "reject": 0, "both": 0, "refused": 0, "unreadable": 0, "pruned_both": 0,
              "accepted": set()}
    for (old, new), (_, _, out) in zip(keep, jobs):
        want_old, want_new = pandoc_words(old, "accept"), pandoc_words(new, "accept")
        if want_old is None or want_new is None:
            counts["unreadable"] += 1
            continue
        if not Path(out).exists():
            counts["refused"] += 1
            continue
        acc, rej = pandoc_words(Path(out), "accept"), pandoc_words(Path(out), "reject")
        counts["accept"] += acc == want_new
        if acc == want_new:
            counts["accepted"].add((old, new))
        counts["reject"] += rej == want_old
        counts["both"] += acc == want_new and rej == want_old
        counts["pruned_both"] += _pruned_ok(Path(out), old, new)
    if run.returncode != 0 and not any(Path(j[2]).exists() for j in jobs):
        return f"not measured: python-redlines failed ({(run.stderr.strip().splitlines() or ['?'])[-1][:200]})"
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--pool", type=Path, action="append", default=[],
                    help="also pair each .docx in this folder (not its subfolders) with the next one, "
                         "by name: any two documents, as the redline track's pools do")
    ap.add_argument("--no-redlines", action="store_true", help="skip python-redlines")
    ap.add_argument("--failures", action="store_true", help="list the pairs that do not round-trip")
    ap.add_argument("--redlines-python", default=sys.executable,
                    help="the Python that has python-redlines[docxodus] (default: this one)")
    args = ap.parse_args()
    if not shutil.which("pandoc"):
        print("pandoc is not installed: nothing measured (apt-get install pandoc)")
        return
    pairs = find_pairs(args.dirs or DEFAULT_DIRS)
    for pool in args.pool:
        files = sorted(pool.glob("*.docx"))
        pairs += list(zip(files, files[1:]))
    if args.limit:
        pairs = pairs[: args.limit]
    print(f"{len(pairs)} pairs from {', '.join(str(d) for d in (args.dirs or DEFAULT_DIRS) if d.is_dir())}")
    with tempfile.TemporaryDirectory() as tmp:
        ours = measure_ours(pairs, Path(tmp))
        n = ours["pairs"] - ours["unreadable"]
        print(f"policy-redline: accept-all exact {ours['accept']}/{n}, reject-all exact {ours['reject']}/{n}, "
              f"both {ours['both']}/{n}; refused {ours['refused']}; other parts byte-identical (or, for headers, "
              f"footers and notes the revised document changes, tracked so that Reject All gives them back) "
              f"{ours['parts_identical']}/{n - ours['refused']}; {ours['seconds']:.1f} s redlining; "
              f"both, less pandoc's empty list items and tables: {ours['pruned_both']}/{n}; pictures, equations, "
              f"fields, links and note references as in the revised document after Accept All and as in the "
              f"original after Reject All: {ours['objects_kept']}/{n - ours['refused']}"
              + (f" ({ours['unreadable']} pairs pandoc cannot read, left out)" if ours["unreadable"] else ""))
        if args.failures:
            for f in ours["failures"]:
                print("  ", *f)
        if args.no_redlines:
            print("python-redlines: not measured (--no-redlines)")
            return
        theirs = measure_python_redlines(pairs, Path(tmp), args.redlines_python)
        if isinstance(theirs, str):
            print(f"python-redlines: {theirs}")
        else:
            n = theirs["pairs"] - theirs["unreadable"]
            print(f"python-redlines (Docxodus): accept-all exact {theirs['accept']}/{n}, reject-all exact "
                  f"{theirs['reject']}/{n}, both {theirs['both']}/{n}; refused {theirs['refused']}; "
                  f"both, less pandoc's empty list items and tables: {theirs['pruned_both']}/{n}")
            if args.failures:
                # where theirs reads back exactly and ours not: is ours exact once pandoc's own
                # artefacts (empty list items and table shells) are left out?
                for (old, new), mine in ours["accept_missed"].items():
                    if (old, new) in theirs["accepted"]:
                        pruned = pandoc_pruned(mine, "accept") == pandoc_pruned(new, "accept")
                        print("   python-redlines' Accept All exact, ours not:", old.name, new.name,
                              "(ours exact less pandoc's artefacts)" if pruned else "(ours differs)")


if __name__ == "__main__":
    main()
