"""What the bundled models cost to read and prepare, kept on disk between commands.

A short command spends most of its time before it reads a word of the policy: parsing the
model files (markdown-it, and importing it) and normalising and indexing the templates'
sentences for the boilerplate share. Both depend on nothing but a model file's bytes and
this package's code, so they are kept in the user's cache folder -- the one the OCR cache
uses: $POLICY_REDLINE_CACHE, else $XDG_CACHE_HOME/policy-redline, else
~/.cache/policy-redline -- under `models/`, one small file per model file (its parse) and
per prepared model (its normal forms and word indexes).

An entry is `marshal` data of plain values (str, int, float, bool, tuple, list, dict,
frozenset), never pickle: reading one builds values and runs nothing. Each entry holds the
key it was written under -- the package's version, the Python version (Unicode tables
decide normal forms), a digest of the modules that produce the entry, and of the model
file's bytes -- and is used only when that key is the current one, so an edited model or
a changed parser is read afresh. An entry that cannot be read, is stale, or has the wrong
shape is a miss; a folder that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path

from . import __version__

try:  # CPython's own BLAKE2: `hashlib` would load OpenSSL first, 2 ms of a 100 ms command
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

CACHE_ENV = "POLICY_REDLINE_CACHE"
#: Entries larger than this are not read: the biggest bundled one is a few hundred KB.
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def shaped(values: object, container: type, kind: type, size: int | None = None):
    """`values` when it is a `container` (tuple or list) of `kind` values only (`size` of
    them, when given), else TypeError: an entry's parts are checked before they are used,
    since marshal hands back whatever shape the file holds."""
    if type(values) is not container or (size is not None and len(values) != size):  # type: ignore[arg-type]
        raise TypeError(f"not a {container.__name__}" + (f" of {size}" if size is not None else ""))
    if not set(map(type, values)) <= {kind}:  # type: ignore[call-overload]
        raise TypeError(f"not a {container.__name__} of {kind.__name__}")
    return values


def cache_root() -> str:
    """The user's cache folder for this tool (the OCR cache is its `ocr/`)."""
    base = os.environ.get(CACHE_ENV, "").strip()
    if base:
        return base
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "policy-redline")


_CODE: dict[tuple[str, ...], str] = {}


def code_digest(*modules: str) -> str:
    """A digest of this package's version, the Python version and the source of the named
    modules of the package (`"models"`, `"segment"`): what an entry was computed by. A
    checkout whose parser changed keeps its version number, so the source itself counts."""
    hit = _CODE.get(modules)
    if hit is not None:
        return hit
    h = blake2b(digest_size=16)
    h.update(f"{__version__}\0{sys.version}\0{marshal.version}\0".encode())
    here = Path(__file__).resolve().parent
    for name in modules:
        h.update(name.encode() + b"\0")
        try:
            h.update((here / f"{name}.py").read_bytes())
        except OSError:
            h.update(b"?")  # no source to read (a zipped install): the version stands for it
    _CODE[modules] = out = h.hexdigest()
    return out


def _entry_path(kind: str, name: str) -> str:
    return os.path.join(cache_root(), kind, name + ".marshal")


def read(kind: str, name: str, key: str) -> object | None:
    """The value stored under `kind/name` with this `key`, or None."""
    try:
        with open(_entry_path(kind, name), "rb") as fh:
            data = fh.read(MAX_ENTRY_BYTES + 1)
        if len(data) > MAX_ENTRY_BYTES:
            return None
        entry = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(entry) is not tuple or len(entry) != 2 or entry[0] != key:
        return None
    return entry[1]


def write(kind: str, name: str, key: str, value: object) -> None:
    """Store `value` (plain data) under `kind/name`, atomically: a temporary file in the same
    folder, renamed into place, so a reader never sees half an entry."""
    import tempfile

    folder = os.path.join(cache_root(), kind)
    tmp = None
    try:
        data = marshal.dumps((key, value))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, _entry_path(kind, name))
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def name_for(*parts: str) -> str:
    """A file name for an entry about these things (a model file's path, say): one entry per
    file, overwritten when the file changes, so the folder does not grow with edits."""
    return blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def digest(*chunks: bytes) -> str:
    """A key for data made from these bytes."""
    h = blake2b(digest_size=16)
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "little"))
        h.update(chunk)
    return h.hexdigest()
