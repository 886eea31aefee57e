#!/usr/bin/env python3
"""Checks the layering in CMake's link graph (build/link_graph.tsv, written at configure time
by cmake/pactum_link_graph.cmake):

  - the CLI (pactum_cli) does not link the REST library pactum_api, directly or through others;
  - no target of src/ or apps/ other than pactum_api itself and pactumd links pactum_api;
  - no layer below the node (base, crypto, pdf, pki, store, http, domain) links pactum_node.

Usage: link_graph_test.py GRAPH_FILE     check the build's graph
       link_graph_test.py --self-test    check that the checker catches each kind of violation
"""
import re
import sys

API = "pactum_api"
NODE = "pactum_node"
CLI = "pactum_cli"
API_USERS = {API, "pactumd"}  # the programs that serve REST
BELOW_NODE = ["pactum_base", "pactum_crypto", "pactum_pdf", "pactum_pki", "pactum_store",
              "pactum_http", "pactum_domain"]


def parse(text):
    """Returns {target: (source_dir, [deps])}."""
    graph = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _type, source_dir, deps = (line.split("\t") + ["", "", ""])[:4]
        names = []
        for dep in deps.split(";"):
            # $<LINK_ONLY:x> and similar wrappers still name a dependency.
            dep = re.sub(r"^\$<[A-Z_]+:(.*)>$", r"\1", dep.strip())
            if dep:
                names.append(dep)
        graph[name] = (source_dir, names)
    return graph


def closure(graph, start):
    seen, stack = set(), [start]
    while stack:
        for dep in graph.get(stack.pop(), ("", []))[1]:
            if dep in graph and dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def path_to(graph, start, goal):
    """One chain start -> ... -> goal, for the message."""
    previous, stack = {start: None}, [start]
    while stack:
        node = stack.pop()
        for dep in graph.get(node, ("", []))[1]:
            if dep in graph and dep not in previous:
                previous[dep] = node
                if dep == goal:
                    chain = [dep]
                    while previous[chain[-1]] is not None:
                        chain.append(previous[chain[-1]])
                    return " -> ".join(reversed(chain))
                stack.append(dep)
    return f"{start} -> ... -> {goal}"


def violations(graph):
    problems = []
    if CLI not in graph:
        problems.append(f"{CLI} is not in the link graph (renamed? update this test)")
    elif API in closure(graph, CLI):
        problems.append(f"the CLI links the REST library: {path_to(graph, CLI, API)}")
    for name, (source_dir, _deps) in sorted(graph.items()):
        if name in API_USERS or name == CLI:
            continue
        top = source_dir.split("/")[0]
        if top in ("src", "apps") and API in closure(graph, name):
            problems.append(f"{name} ({source_dir}) links {API}: {path_to(graph, name, API)}")
    for name in BELOW_NODE:
        if name not in graph:
            problems.append(f"{name} is not in the link graph (renamed? update this test)")
        elif NODE in closure(graph, name):
            problems.append(f"{name} links {NODE}: {path_to(graph, name, NODE)}")
    return problems


def self_test():
    good = "\n".join([
        "pactum_base\tSTATIC_LIBRARY\tsrc/pactum/base\tfmt::fmt",
        "pactum_crypto\tSTATIC_LIBRARY\tsrc/pactum/crypto\tpactum_base",
        "pactum_pdf\tSTATIC_LIBRARY\tsrc/pactum/pdf\tpactum_crypto",
        "pactum_pki\tSTATIC_LIBRARY\tsrc/pactum/pki\tpactum_crypto",
        "pactum_store\tSTATIC_LIBRARY\tsrc/pactum/store\tpactum_crypto",
        "pactum_http\tSTATIC_LIBRARY\tsrc/pactum/http\tpactum_base",
        "pactum_domain\tSTATIC_LIBRARY\tsrc/pactum/domain\tpactum_store",
        "pactum_node\tSTATIC_LIBRARY\tsrc/pactum/node\tpactum_domain;pactum_pki;pactum_http",
        "pactum_api\tSTATIC_LIBRARY\tsrc/pactum/api\tpactum_domain;pactum_http",
        "pactum_cli\tEXECUTABLE\tapps/pactum\tpactum_node",
        "pactumd\tEXECUTABLE\tapps/pactumd\tpactum_api;pactum_node",
        "pactum_api_tests\tEXECUTABLE\ttests/api\tpactum_api",
    ])
    failures = []
    if violations(parse(good)):
        failures.append(f"a good graph was refused: {violations(parse(good))}")
    bad_cases = {
        "CLI links api directly": good.replace("apps/pactum\tpactum_node",
                                               "apps/pactum\tpactum_node;pactum_api"),
        "CLI links api through a library": good.replace(
            "src/pactum/node\tpactum_domain;", "src/pactum/node\t$<LINK_ONLY:pactum_api>;"),
        "domain links node": good.replace("src/pactum/domain\tpactum_store",
                                          "src/pactum/domain\tpactum_store;pactum_node"),
        "a new library links api": good + "\npactum_ledger\tSTATIC_LIBRARY\tsrc/pactum/ledger\t"
                                          "pactum_api",
    }
    for what, text in bad_cases.items():
        if not violations(parse(text)):
            failures.append(f"not caught: {what}")
    for failure in failures:
        print("self-test: " + failure)
    print("self-test: " + ("FAILED" if failures else f"all {len(bad_cases)} violations caught"))
    return 1 if failures else 0


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "--self-test":
        return self_test()
    with open(sys.argv[1], encoding="utf-8") as f:
        graph = parse(f.read())
    problems = violations(graph)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"layering holds over {len(graph)} targets: {CLI} does not link {API}, nothing in src/ "
          f"or apps/ but pactumd links it, nothing below the node links {NODE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
