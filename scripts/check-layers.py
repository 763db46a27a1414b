#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Draw the module's include graph and check the layering rules of
# docs/ARCHITECTURE.md on it: no cycle; a layer file reaches (through any
# chain of includes) no header of a layer above it and no glue header.
#   scripts/check-layers.py          check; print the graph as edges
#   scripts/check-layers.py --dot    print the graph for Graphviz
import os
import re
import sys

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.chdir(top)
files = sorted(f for f in os.listdir(".") if re.search(r"\.[ch]$", f) and not f.endswith(".mod.c"))
files += sorted("include/mm_ext/" + f for f in os.listdir("include/mm_ext") if f.endswith(".h"))
inc = re.compile(r'^#include\s+(?:"([^"]+)"|<(mm_ext/[^>]+)>)')
graph = {}
for f in files:
    edges = []
    with open(f) as fh:
        for line in fh:
            m = inc.match(line)
            if m:
                edges.append(m.group(1) if m.group(1) else "include/" + m.group(2))
    graph[f] = edges

if "--dot" in sys.argv:
    print("digraph mm_ext_includes {")
    for f, edges in graph.items():
        for e in edges:
            print(f'  "{f}" -> "{e}";')
    print("}")
    sys.exit(0)

status = 0
# Cycles: depth-first search with colours.
colour = {}
def visit(n, path):
    global status
    colour[n] = 1
    for e in graph.get(n, []):
        if colour.get(e) == 1:
            print("check-layers: include cycle: " + " -> ".join(path + [n, e]))
            status = 1
        elif e not in colour:
            visit(e, path + [n])
    colour[n] = 2
for f in files:
    if f not in colour:
        visit(f, [])

def reach(f):
    seen, todo = set(), [f]
    while todo:
        for e in graph.get(todo.pop(), []):
            if e not in seen:
                seen.add(e)
                todo.append(e)
    return seen

glue = {"mm_ext_glue.h", "mm_ext_commands.h"}
above = {
    # layer file: what it must not reach
    "mm_ext_names.c": glue | {"buddy_sim_internal.h", "slab_ext_internal.h",
                              "mempool_ext_internal.h", "mm_ext_layers.h"},
    "buddy_sim.c": glue | {"slab_ext_internal.h", "mempool_ext_internal.h", "mm_ext_layers.h",
                           "include/mm_ext/slab_ext.h", "include/mm_ext/mempool_ext.h"},
    "slab_ext.c": glue | {"mempool_ext_internal.h", "mm_ext_layers.h",
                          "include/mm_ext/mempool_ext.h"},
    # The public mempool_ext.h declares the slab and page pools, so it names
    # the other layers' types; their internals stay out of reach.
    "mempool_ext.c": glue | {"buddy_sim_internal.h", "slab_ext_internal.h", "mm_ext_layers.h"},
    "mempool_ext_backends.c": glue,
    # A consumer module (issue 15): the exported API only, as any other
    # module sees mm_ext; no internal header, no base, no glue.
    "mm_ext_blk.c": glue | {"buddy_sim_internal.h", "slab_ext_internal.h",
                            "mempool_ext_internal.h", "mm_ext_layers.h",
                            "mm_ext_base.h", "mm_ext_glue.h"},
    # The trace events are base level: every layer may fire them.
    "mm_ext_trace.h": glue | {"buddy_sim_internal.h", "slab_ext_internal.h",
                              "mempool_ext_internal.h", "mm_ext_layers.h",
                              "include/mm_ext/buddy_sim.h", "include/mm_ext/slab_ext.h",
                              "include/mm_ext/mempool_ext.h"},
}
# Every file it includes in quotes is a header of mm_ext's own: none allowed.
for f in ("mm_ext_blk.c",):
    own = [e for e in graph.get(f, []) if not e.startswith("include/mm_ext/")]
    if own:
        print(f"check-layers: {f} includes {', '.join(own)}: only include/mm_ext/ is public")
        status = 1
for f, banned in above.items():
    bad = sorted(reach(f) & banned)
    if bad:
        print(f"check-layers: {f} reaches {', '.join(bad)}")
        status = 1

for f in files:
    if graph[f]:
        print(f"  {f} -> {' '.join(graph[f])}")
print("check-layers: " + ("FAILED" if status else "no cycle; every layer file reaches only the layers below it"))
sys.exit(status)
