"""A PEP 517 build backend in the standard library only: builds the wheel (and sdist) of lookout-client.

It reads the few fields it needs from pyproject.toml ([project] name, version, description,
requires-python, [project.scripts]) with a line reader, because tomllib only exists from Python 3.11.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "lookout"


def _project():
    meta, scripts, section = {}, {}, None
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
                continue
            m = re.match(r'([A-Za-z0-9_.-]+)\s*=\s*"(.*)"\s*$', line)
            if not m:
                continue
            if section == "project":
                meta[m.group(1)] = m.group(2)
            elif section == "project.scripts":
                scripts[m.group(1)] = m.group(2)
    return meta, scripts


def _dist_name(meta):
    return re.sub(r"[-_.]+", "_", meta["name"]).lower() + "-" + meta["version"]


def _metadata(meta):
    lines = ["Metadata-Version: 2.1", "Name: " + meta["name"], "Version: " + meta["version"],
             "Summary: " + meta.get("description", ""), "License: Apache-2.0",
             "Requires-Python: " + meta.get("requires-python", ">=3.9")]
    readme = os.path.join(ROOT, "README.md")
    text = "\n".join(lines) + "\n"
    if os.path.exists(readme):
        text += "Description-Content-Type: text/markdown\n\n"
        with open(readme, encoding="utf-8") as f:
            text += f.read()
    return text


def _sources():
    for folder, dirs, files in os.walk(os.path.join(ROOT, PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") or name == "py.typed":
                full = os.path.join(folder, name)
                yield full, os.path.relpath(full, ROOT).replace(os.sep, "/")


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (arcname, digest, len(data))


def _dist_info_files(meta, scripts):
    files = {"METADATA": _metadata(meta),
             "WHEEL": "Wheel-Version: 1.0\nGenerator: lookout_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    if scripts:
        files["entry_points.txt"] = "[console_scripts]\n" + "".join(
            "%s = %s\n" % (k, v) for k, v in sorted(scripts.items()))
    return files


def _write_wheel(wheel_directory, extra_files):
    meta, scripts = _project()
    dist = _dist_name(meta)
    info = dist + ".dist-info"
    wheel_name = dist + "-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in extra_files:
            z.writestr(arcname, data)
            records.append(_record_line(arcname, data))
        for name, text in _dist_info_files(meta, scripts).items():
            data = text.encode("utf-8")
            z.writestr(info + "/" + name, data)
            records.append(_record_line(info + "/" + name, data))
        records.append(info + "/RECORD,,")
        z.writestr(info + "/RECORD", "\n".join(records) + "\n")
    return wheel_name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    meta, scripts = _project()
    info = _dist_name(meta) + ".dist-info"
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for name, text in _dist_info_files(meta, scripts).items():
        with open(os.path.join(metadata_directory, info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = []
    for full, arcname in _sources():
        with open(full, "rb") as f:
            files.append((arcname, f.read()))
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [("lookout_client.pth", (ROOT + "\n").encode("utf-8"))])


def build_sdist(sdist_directory, config_settings=None):
    meta, _ = _project()
    base = re.sub(r"[-_.]+", "_", meta["name"]).lower() + "-" + meta["version"]
    name = base + ".tar.gz"
    keep = ("pyproject.toml", "README.md", "_build", PACKAGE, "tests", "examples")
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for entry in keep:
            path = os.path.join(ROOT, entry)
            if os.path.exists(path):
                tar.add(path, arcname=base + "/" + entry,
                        filter=lambda t: None if "__pycache__" in t.name else t)
        pkg_info = _metadata(meta).encode("utf-8")
        ti = tarfile.TarInfo(base + "/PKG-INFO")
        ti.size = len(pkg_info)
        tar.addfile(ti, io.BytesIO(pkg_info))
    return name
