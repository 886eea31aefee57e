#!/usr/bin/env python3
"""Fails if a file name of the data directory is spelled outside src/pactum/node/.

node/data_dir_layout.h names the layout once; everything else asks node::DataDirLayout. Scans
the C++ and CMake code of src/ and apps/ with comments removed (a comment may say
"DATA_DIR/master.key"; code may not). Tests and docs may spell the names.

Usage: data_dir_names_test.py SOURCE_DIR [DIR...]   (DIRs default to src apps)
       data_dir_names_test.py --self-test         (the scanner catches code, skips comments)
"""
import re
import sys
from pathlib import Path

# A name as a file (anywhere in a string) or a directory joined into a path.
NAMES = re.compile(
    r"\b(pactum\.json|master\.key|pactum\.db|keys\.lock|pactumd\.lock|demo\.json)\b"
    r'|(?<!\{)"(pki|blobs)/?"'    # "pki", "pki/" (not a JSON key like {"pki", ...})
    r'|"/(pki|blobs)"'             # "/blobs" (not a URL prefix like "/pki/")
    r'|/ *"(pki|blobs)\b'         # path / "pki..."
)
ALLOWED_DIR = Path("src/pactum/node")
SUFFIXES = {".cc", ".h", ".cpp", ".hpp", ".txt", ".cmake"}


def strip_comments(text: str, cmake: bool) -> str:
    """Removes // and /* */ comments (C++) or # comments (CMake), keeping string literals and
    line numbers."""
    out = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            out.append(c)
            i += 1
            continue
        if cmake and c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if not cmake and text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if not cmake and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
            continue
        if c == "\n":
            in_string = False  # an unterminated quote (a char literal '"') ends with its line
        out.append(c)
        i += 1
    return "".join(out)


def scan(root: Path, dirs):
    problems = []
    for top in dirs:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or path.suffix not in SUFFIXES:
                continue
            if ALLOWED_DIR in rel.parents:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            # A character literal holding a quote would open a string: neutralise it first.
            text = text.replace("'\"'", "' '")
            code = strip_comments(text, cmake=path.suffix in {".txt", ".cmake"})
            for number, line in enumerate(code.splitlines(), 1):
                match = NAMES.search(line)
                if match:
                    problems.append(f"{rel}:{number}: {match.group(0)!r}: {line.strip()}")
    return problems


def self_test() -> int:
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "src/pactum/node").mkdir(parents=True)
        (root / "apps").mkdir()
        (root / "src/pactum/node/layout.cc").write_text('auto f = "master.key";\n')
        (root / "apps/ok.cc").write_text(
            '// DATA_DIR/master.key in a comment\n/* and pactum.json here */\n'
            'log({"pki", url}); auto url = "http://x//y"; char q = \'"\';\n')
        (root / "apps/bad.cc").write_text(
            'auto a = dir + "/keys.lock";\nauto b = root / "pki";\n'
            'auto c = "x"; // "demo.json"\nauto d = "sqlite:pactum.db";\n')
        found = scan(root, ["src", "apps"])
    expected = ["apps/bad.cc:1", "apps/bad.cc:2", "apps/bad.cc:4"]
    got = [problem.split(": ")[0] for problem in found]
    if got != expected:
        print(f"self-test FAILED: expected {expected}, got {found}")
        return 1
    print(f"self-test: the {len(expected)} spellings in code caught, comments and node/ skipped")
    return 0


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "--self-test":
        return self_test()
    root = Path(sys.argv[1])
    dirs = sys.argv[2:] or ["src", "apps"]
    problems = scan(root, dirs)
    if problems:
        print("data-directory file names spelled outside src/pactum/node/ "
              "(use node::DataDirLayout):")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"no data-directory file name outside src/pactum/node/ in {', '.join(dirs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
