#!/usr/bin/env python3
"""dss_dump.py PDF OUTDIR: writes the Document Security Store of PDF as qpdf reads it (not as
pactum does): OUTDIR/certs/N.der, OUTDIR/ocsps/N.der, OUTDIR/crls/N.der (decoded stream data,
in array order) and OUTDIR/vri.txt (one line per VRI entry: KEY CERTS OCSPS CRLS TU). Exits 1
when the catalog has no /DSS or a DSS item is not a stream."""
import base64
import json
import os
import subprocess
import sys


def main():
    pdf, out = sys.argv[1], sys.argv[2]
    run = subprocess.run(
        ["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", pdf],
        capture_output=True, check=False)
    if run.returncode not in (0, 3):
        sys.exit("qpdf --json failed: " + run.stderr.decode(errors="replace"))
    objects = json.loads(run.stdout)["qpdf"][1]

    def resolve(value):
        while isinstance(value, str) and value.endswith(" R"):
            value = objects["obj:" + value]
            value = value.get("value", value)
        return value

    def stream_data(ref):
        obj = objects.get("obj:" + ref, {}) if isinstance(ref, str) else {}
        if "stream" not in obj:
            sys.exit("DSS item %r is not a stream" % (ref,))
        return base64.b64decode(obj["stream"]["data"])

    root = resolve(objects["trailer"]["value"]["/Root"])
    if "/DSS" not in root:
        sys.exit("no /DSS in the catalog")
    dss = resolve(root["/DSS"])
    for key, sub in (("/Certs", "certs"), ("/OCSPs", "ocsps"), ("/CRLs", "crls")):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
        for n, ref in enumerate(resolve(dss.get(key, [])), 1):
            with open(os.path.join(out, sub, "%d.der" % n), "wb") as f:
                f.write(stream_data(ref))
    with open(os.path.join(out, "vri.txt"), "w") as f:
        for key, entry in sorted(resolve(dss.get("/VRI", {})).items()):
            entry = resolve(entry)
            counts = [len(resolve(entry.get(k, []))) for k in ("/Cert", "/OCSP", "/CRL")]
            f.write("%s %d %d %d %s\n" % (key.lstrip("/"), *counts, "/TU" in entry))


if __name__ == "__main__":
    main()
