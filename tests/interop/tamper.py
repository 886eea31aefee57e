#!/usr/bin/env python3
"""tamper.py MODE IN OUT: crafts one attack on a signed PDF (the last signature), for verify_test.sh.

Modes: range-null, contents-empty, range-outside, byte-flip, isa-xref, isa-noxref, wrap,
remove-field, digest-flip. In-place edits keep every length, so cross-reference offsets stay
right and only the attacked thing differs.

Shadow attacks take two steps: `plant` (on the UNSIGNED file) appends objects that nothing uses
(a content stream, an opaque overlay annotation with its appearance), so they ride inside the
revision that is then signed; `shadow-hide`, `shadow-replace` and `shadow-hide-replace` (on the
signed planted file) only change references on the first page to reveal them.
"""
import re
import subprocess
import sys

mode, src, dst = sys.argv[1:4]
pdf = bytearray(open(src, "rb").read())


def qpdf_show(obj):
    return subprocess.run(["qpdf", "--show-object=" + obj, src], capture_output=True,
                          text=True, check=False).stdout.strip()


def put(offset, text, width):
    text = text.ljust(width).encode()
    assert len(text) == width, (text, width)
    pdf[offset:offset + width] = text


def update(objects, size=None):
    """Appends an incremental update with a classic xref section chained to the last one; size,
    when given, is the new trailer /Size (for an update that adds objects)."""
    trailer = qpdf_show("trailer")
    root = re.search(r"/Root (\d+ \d+ R)", trailer).group(1)
    size = size or int(re.search(r"/Size (\d+)", trailer).group(1))
    prev = int(re.findall(rb"startxref\s+(\d+)", bytes(pdf))[-1])
    out = bytearray(b"\n")
    xref = b"xref\n"
    for number, body in objects:
        offset = len(pdf) + len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref += b"%d 1\n%010d 00000 n\r\n" % (number, offset)
    at = len(pdf) + len(out)
    out += xref + b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, root.encode(), prev, at)
    pdf.extend(out)


def first_page_contents():
    root = re.search(r"/Root (\d+) 0 R", qpdf_show("trailer")).group(1)
    node = re.search(r"/Pages (\d+) 0 R", qpdf_show(root)).group(1)
    for _ in range(32):
        text = qpdf_show(node)
        kids = re.search(r"/Kids \[ *(\d+) 0 R", text)
        if not kids:
            return int(re.search(r"/Contents \[? *(\d+) 0 R", text).group(1))
        node = kids.group(1)
    raise SystemExit("page tree too deep")


def first_page():
    root = re.search(r"/Root (\d+) 0 R", qpdf_show("trailer")).group(1)
    node = re.search(r"/Pages (\d+) 0 R", qpdf_show(root)).group(1)
    for _ in range(32):
        kids = re.search(r"/Kids \[ *(\d+) 0 R", qpdf_show(node))
        if not kids:
            return int(node)
        node = kids.group(1)
    raise SystemExit("page tree too deep")


def planted(marker):
    """The number of the planted object whose dictionary carries /PactumShadow /marker."""
    found = re.search(rb"(\d+) 0 obj\s*<<[^>]*/PactumShadow /" + marker.encode(), bytes(pdf))
    if not found:
        raise SystemExit("no planted " + marker + " object (run plant before signing)")
    return int(found.group(1))


def reveal(annot=None, contents=None):
    """Points the first page at planted objects: an extra /Annots item and/or new /Contents."""
    page = first_page()
    text = qpdf_show(str(page))
    objects = []
    if annot is not None:
        indirect = re.search(r"/Annots (\d+) 0 R", text)
        if indirect:
            array = qpdf_show(indirect.group(1)).rstrip().rstrip("]")
            objects.append((int(indirect.group(1)), ("%s %d 0 R ]" % (array, annot)).encode()))
        elif "/Annots [" in text:
            text = text.replace("/Annots [", "/Annots [ %d 0 R" % annot, 1)
        else:
            text = text.rstrip().rstrip(">") + " /Annots [ %d 0 R ] >>" % annot
    if contents is not None:
        text = re.sub(r"/Contents (\[[^\]]*\]|\d+ 0 R)", "/Contents " + contents, text, count=1)
    objects.append((page, text.encode()))
    update(objects)


if mode == "plant":
    trailer = qpdf_show("trailer")
    size = int(re.search(r"/Size (\d+)", trailer).group(1))
    hidden = b"BT /Helv 28 Tf 1 0 0 rg 72 400 Td (PAY 1,000,000 TO MALLORY) Tj ET"
    cover = b"1 1 1 rg 0 0 2000 2000 re f"
    objects = [
        (size, b"<< /PactumShadow /Content /Length %d >>\nstream\n%s\nendstream" % (
            len(hidden), hidden)),
        (size + 1, b"<< /PactumShadow /Overlay /Type /Annot /Subtype /Square /F 4 "
                   b"/Rect [0 0 2000 2000] /AP << /N %d 0 R >> >>" % (size + 2)),
        (size + 2, b"<< /Type /XObject /Subtype /Form /BBox [0 0 2000 2000] /Length %d >>\n"
                   b"stream\n%s\nendstream" % (len(cover), cover)),
    ]
    update(objects, size + 3)
    open(dst, "wb").write(pdf)
    sys.exit(0)
elif mode == "shadow-hide":
    reveal(annot=planted("Overlay"))
    open(dst, "wb").write(pdf)
    sys.exit(0)
elif mode == "shadow-replace":
    reveal(contents="%d 0 R" % planted("Content"))
    open(dst, "wb").write(pdf)
    sys.exit(0)
elif mode == "shadow-hide-replace":
    page_contents = first_page_contents()
    reveal(annot=planted("Overlay"), contents="[ %d 0 R %d 0 R ]" % (page_contents,
                                                                    planted("Content")))
    open(dst, "wb").write(pdf)
    sys.exit(0)

range_at = pdf.rfind(b"/ByteRange [")
range_width = pdf.index(b"]", range_at) + 1 - range_at
a, b, c, d = map(int, re.match(rb"/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)",
                               pdf[range_at:range_at + range_width]).groups())
contents_at = b - len(b"/Contents ")

if mode == "range-null":
    put(range_at, "/ByteRange null", range_width)
elif mode == "contents-empty":
    put(contents_at, "/Contents <>", c - contents_at)
elif mode == "range-outside":
    put(range_at, "/ByteRange [0 1 2 %d]" % (len(pdf) * 10), range_width)
elif mode == "byte-flip":
    # A byte of the header's binary comment line: signed, and harmless to every parser.
    at = pdf.index(b"\n%", 0, 64) + 3
    pdf[at] = pdf[at] ^ 0x01
elif mode == "isa-xref":
    content = b"BT /F1 24 Tf 72 700 Td (Forged after signing) Tj ET"
    update([(first_page_contents(),
             b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))])
elif mode == "isa-noxref":
    content = b"BT /F1 24 Tf 72 700 Td (Forged after signing) Tj ET"
    pdf.extend(b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        first_page_contents(), len(content), content))
elif mode == "wrap":
    moved = len(pdf)
    pdf.extend(pdf[c:c + d])
    put(range_at, "/ByteRange [0 %d %d %d]" % (b, moved, d), range_width)
elif mode == "remove-field":
    root = re.search(r"/Root (\d+) 0 R", qpdf_show("trailer")).group(1)
    form = re.search(r"/AcroForm (\d+) 0 R", qpdf_show(root))
    if not form:
        raise SystemExit("the AcroForm is not an indirect object")
    text = qpdf_show(form.group(1))
    update([(int(form.group(1)), re.sub(r"/Fields \[[^\]]*\]", "/Fields [ ]", text).encode())])
elif mode == "digest-flip":
    # messageDigest attribute: OID 1.2.840.113549.1.9.4, SET, OCTET STRING, then the digest.
    hexed = pdf[b + 1:c - 1].decode().lower()
    at = hexed.index("06092a864886f70d010904") + 22
    at = hexed.index("04", at) + 4  # OCTET STRING tag and length
    digit = "0" if hexed[at] != "0" else "1"
    pdf[b + 1 + at] = ord(digit)
else:
    raise SystemExit("unknown mode " + mode)
open(dst, "wb").write(pdf)
