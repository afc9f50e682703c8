"""Writing results: atomically, never over an input, never over a file without `--force`."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError


def write_output(path: str | os.PathLike[str], data: str | bytes, *, inputs: tuple[str, ...] = (), force: bool = False) -> None:
    """Write `data` to `path` through a temporary file and a rename, so a reader (or a crash)
    never sees half a file. Refuses to write over any of `inputs`, and over an existing
    file unless `force`."""
    target = Path(path)
    shown = os.fspath(path)  # the name as the user gave it ("./out.md" stays "./out.md")
    refuse_input_overwrite(path, inputs)
    if target.is_dir():
        raise InputError(shown, "is a directory; give a file name to -o")
    refuse_special(target, shown)
    if (target.exists() or target.is_symlink()) and not force:
        raise InputError(shown, "already exists; use --force to replace it")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(shown, f"cannot write: folder {directory} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(shown, f"cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:  # a full disk, or Ctrl-C mid-write: never leave the temp file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(shown, f"cannot write ({exc.strerror or exc})") from None
        raise


class StreamedOutput:
    """Text written to `path` piece by piece, as `write_output` writes it whole: through a
    temporary file beside it (hidden, so a survey of that folder never reads it), renamed
    into place by `commit`, which first makes the same refusals as `write_output` (an input
    file, a directory, an existing file without `force`). Left without `commit` (an error,
    Ctrl-C) the temporary file is removed and `path` is untouched. A survey of 10,000
    policies so writes its table without holding it."""

    def __init__(self, path: str | os.PathLike[str], *, force: bool = False) -> None:
        self.path = path
        self.force = force
        self._fh = None
        self._tmp: str | None = None

    def _check(self, inputs: tuple[str, ...] = ()) -> Path:
        target = Path(self.path)
        shown = os.fspath(self.path)
        refuse_input_overwrite(self.path, inputs)
        if target.is_dir():
            raise InputError(shown, "is a directory; give a file name to -o")
        refuse_special(target, shown)
        if (target.exists() or target.is_symlink()) and not self.force:
            raise InputError(shown, "already exists; use --force to replace it")
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise InputError(shown, f"cannot write: folder {directory} does not exist")
        return target

    def write(self, text: str) -> None:
        if self._fh is None:
            target = self._check()
            directory = target.parent if str(target.parent) else Path(".")
            try:
                fd, self._tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".tmp", dir=directory)
            except OSError as exc:
                raise InputError(os.fspath(self.path), f"cannot write ({exc.strerror or exc})") from None
            self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        try:
            self._fh.write(text)
        except OSError as exc:
            self.discard()
            raise InputError(os.fspath(self.path), f"cannot write ({exc.strerror or exc})") from None

    def commit(self, inputs: tuple[str, ...] = ()) -> None:
        if self._fh is None:
            self.write("")
        try:
            target = self._check(inputs)
        except BaseException:
            self.discard()
            raise
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, target)
            self._tmp = None
        except BaseException as exc:
            self.discard()
            if isinstance(exc, OSError):
                raise InputError(os.fspath(self.path), f"cannot write ({exc.strerror or exc})") from None
            raise

    def discard(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
            self._tmp = None

    def __enter__(self) -> "StreamedOutput":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()  # after a commit, nothing is left to remove


def refuse_special(target: Path, shown: str) -> None:
    """-o writes regular files only: a device (/dev/null), a named pipe, a socket — or a link
    to one — is never replaced, even with --force (as root, replacing /dev/null with a
    regular file would break the system)."""
    from .ingest import not_regular_reason

    for look in (os.lstat, os.stat):
        try:
            mode = look(target).st_mode
        except (OSError, ValueError):
            continue
        if stat.S_ISLNK(mode):
            continue
        reason = not_regular_reason(mode)
        if reason and not stat.S_ISDIR(mode):
            what = reason.split(",")[0].removeprefix("is ")
            raise InputError(shown, f"is {what}, not a regular file; -o writes only regular files "
                             "(leave -o out to write to standard output)")


def _short(name: str, limit: int = 100) -> str:
    """The output name cut to `limit` UTF-8 bytes, for the temporary file's name (a name
    near the file system's 255 bytes must not fail for the prefix and suffix added)."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= limit:
        return name
    return raw[:limit].decode("utf-8", "ignore")


def refuse_input_overwrite(path: str | os.PathLike[str], inputs) -> None:
    """An `InputError` when `path` is one of `inputs` (the same file by any name)."""
    target = Path(path)
    for source in inputs:
        if source and source != "-" and _same_file(target, Path(source)):
            raise InputError(os.fspath(path), "is an input file; refusing to overwrite it (choose another -o)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def suggested_output(source: str, tail: str = "-redline", suffix: str = ".docx") -> str:
    """The file name a printed next step writes to, in the current folder:
    `policies/chicopee-413.docx` -> `chicopee-413-redline.docx` (`policy-redline.docx` for
    standard input)."""
    stem = Path(source).stem if source not in ("-", "<stdin>", "") else "policy"
    stem = stem.lstrip("-") or "policy"  # a name starting with '-' would read as an option
    return f"{stem}{tail}{suffix}"
