"""Do our Word redlines validate against the OOXML schema? Prints counts; asserts nothing.

    .venv/bin/python bench/schema_check.py --xsd DIR [FIXTURE_DIR ...]

DIR holds the ISO/IEC 29500-4 (transitional) schemas, `wml.xsd` and the files it imports
(`../mce/mc.xsd` beside DIR too), e.g. extracted from jandira-tech/docx-validate's
`src/scripts/office/schemas/` — kept outside the project, like the fixtures. Each fixture
pair (the vendored SuperDoc pairs and, by default, ../shared/fixtures/docx) is redlined as
`compare --format docx` does, and the redline's `word/document.xml` is validated. Word's own
extensions (w14, w15, … and mc:AlternateContent) are not in the 2016 transitional schema, so
elements and attributes outside its namespaces are dropped first: what is validated is the
markup this tool writes (w:ins, w:del, w:pPrChange, w:rPrChange, w:tblPrChange,
w:trPrChange, w:tcPrChange, …) in the document's own structure. A Strict document (the
purl.oclc.org namespaces) is counted apart: the transitional schema does not describe it.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "cli"))

from bench.bench_fidelity import DEFAULT_DIRS, find_pairs  # noqa: E402
from policy_redline.writers.docx_package import redline_pair  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
KNOWN = {
    W,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "urn:schemas-microsoft-com:vml",
    "urn:schemas-microsoft-com:office:office",
    "http://www.w3.org/XML/1998/namespace",
}


def transitional_only(root: etree._Element) -> etree._Element:
    """The document less the markup of namespaces the transitional schema does not know."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if etree.QName(el).namespace not in KNOWN and parent is not None:
            parent.remove(el)
            continue
        for name in list(el.attrib):
            if name.startswith("{") and etree.QName(name).namespace not in KNOWN:
                del el.attrib[name]
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xsd", type=Path, required=True, help="folder with wml.xsd (ISO/IEC 29500-4)")
    ap.add_argument("dirs", nargs="*", type=Path, help="fixture folders (default: the vendored pairs and ../shared/fixtures/docx)")
    args = ap.parse_args()
    wml = args.xsd / "wml.xsd"
    if not wml.is_file():
        sys.exit(f"schema_check: {wml}: no such file")
    schema = etree.XMLSchema(etree.parse(str(wml)))
    pairs = find_pairs(args.dirs or DEFAULT_DIRS)
    valid, strict, invalid = 0, 0, []
    for old, new in pairs:
        redline = redline_pair(old.read_bytes(), new.read_bytes())
        with zipfile.ZipFile(io.BytesIO(redline)) as z:
            root = etree.fromstring(z.read("word/document.xml"))
        if etree.QName(root).namespace == STRICT_W:
            strict += 1
            continue
        if schema.validate(transitional_only(root)):
            valid += 1
        else:
            invalid.append((f"{old.name} -> {new.name}", schema.error_log.last_error.message[:160]))
    print(f"{len(pairs)} pairs: {valid} redlines valid against wml.xsd (transitional), {len(invalid)} invalid, {strict} Strict documents not checked")
    for name, why in invalid:
        print(f"  {name}: {why}")


if __name__ == "__main__":
    main()
