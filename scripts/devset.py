#!/usr/bin/env python3
"""Build a JSONL gold file (the format of ../shared/eval) from marked-up reports.

Usage: scripts/devset.py SRC SOURCES_DIR > OUT.jsonl   (review lines go to stderr)

SRC holds one report per paragraph (blank line between reports); a line
"# id: NAME" names the next report, other lines starting with "#" are
comments. A toponym is written [[surface|spec]]:

    spec = CC                  the most populous place of that name in country CC
    spec = CC:query            look "query" up instead of the surface
    spec = CC:query:KIND       KIND: P (populated place), A1, A2, S (site), H, T, L
    spec = #ID                 the place with that geonameid
    spec = @lat,lon            a point given by hand (facilities; the SRC comment
                               beside it names the public source)

Gold points come from the gazetteer sources (cities500.txt, whosonfirst/*.txt,
admin_coords.tsv, physical.tsv): the candidate of the right country and kind
with the largest population, GeoNames rows before Who's On First ones, at the
point of its highest-priority source as the gazetteer builder merges them.
"""
import json
import os
import re
import sys
import unicodedata

ARTICLES = {"al", "el", "as", "ash", "ar", "ad", "az", "ez", "an", "at", "ad-"}


def key(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = re.sub(r"[ʿʾ‘’'`´ʻʼ]", "", s).lower()
    toks = re.findall(r"\w+", s)
    while len(toks) > 1 and toks[0] in ARTICLES:
        toks = toks[1:]
    toks = [t for i, t in enumerate(toks) if not (t in ARTICLES and i < len(toks) - 1)]
    return " ".join(toks)


def load(src):
    idx = {}

    def add(names, row):
        for n in set(names):
            k = key(n)
            if k:
                idx.setdefault(k, []).append(row)

    def geonames(path, prio):
        with open(path, encoding="utf-8") as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) < 15:
                    continue
                pop = int(c[14] or 0)
                row = dict(id=int(c[0]), name=c[1], lat=float(c[4]), lon=float(c[5]), cls=c[6], code=c[7],
                           cc=c[8], pop=pop, prio=prio)
                add([c[1], c[2]] + [a for a in c[3].split(",") if a], row)

    geonames(os.path.join(src, "cities500.txt"), 3)
    wof = os.path.join(src, "whosonfirst")
    for n in sorted(os.listdir(wof)):
        geonames(os.path.join(wof, n), 1)
    with open(os.path.join(src, "admin_coords.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "geonameid" or c[8].startswith("FALLBACK_"):
                continue
            row = dict(id=int(c[0]), name=c[1], lat=float(c[6]), lon=float(c[7]), cls="A", code=c[2], cc=c[3],
                       pop=10**9 if c[2].startswith("PCL") else 0, prio=2)
            add([c[1]], row)
    with open(os.path.join(src, "physical.tsv"), encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "name":
                continue
            row = dict(id=int(c[7] or 0), name=c[0], lat=float(c[2]), lon=float(c[3]), cls=c[4], code=c[5],
                       cc=c[6], pop=0, prio=1)
            add([c[0]] + [a for a in c[1].split(",") if a], row)
    # The point of a place is that of its highest-priority source, as the
    # gazetteer builder merges them (GeoNames tables, then admin_coords.tsv,
    # then Who's On First).
    best = {}
    for rows in idx.values():
        for r in rows:
            if r["id"] and (r["id"] not in best or r["prio"] > best[r["id"]]["prio"]):
                best[r["id"]] = r
    for rows in idx.values():
        for r in rows:
            if r["id"] in best:
                b = best[r["id"]]
                r["lat"], r["lon"] = b["lat"], b["lon"]
    idx["#ids"] = best
    return idx


def pick(idx, surface, spec):
    if spec.startswith("@"):
        lat, lon = spec[1:].split(",")
        return dict(id=None, name=surface, lat=float(lat), lon=float(lon), cls="S", code="", cc="", pop=0)
    if spec.startswith("#"):
        return idx["#ids"][int(spec[1:])]
    parts = spec.split(":")
    cc = parts[0]
    query = parts[1] if len(parts) > 1 and parts[1] else surface
    kind = parts[2] if len(parts) > 2 else ""
    cands = [r for r in idx.get(key(query), []) if not cc or r["cc"] == cc]
    if kind == "P":
        cands = [r for r in cands if r["cls"] == "P"]
    elif kind in ("A1", "A2"):
        cands = [r for r in cands if r["cls"] == "A" and r["code"] == "ADM" + kind[1]]
    elif kind == "PCL":
        cands = [r for r in cands if r["cls"] == "A" and r["code"].startswith("PCL")]
    elif kind:
        cands = [r for r in cands if r["cls"] == kind]
    elif any(r["cls"] == "P" for r in cands):
        cands = [r for r in cands if r["cls"] == "P"]
    if not cands:
        print(f"MISS no candidate for {surface!r} ({spec})", file=sys.stderr)
        return None
    exact = [r for r in cands if key(r["name"]) == key(query)]
    pool = exact or cands
    return max(pool, key=lambda r: (r["prio"] >= 2 and r["pop"] > 0, r["pop"], r["prio"], r["id"] > 0))


MARK = re.compile(r"\[\[([^\]|]+)\|([^\]]*)\]\]")


def main():
    src, srcdir = sys.argv[1], sys.argv[2]
    idx = load(srcdir)
    with open(src, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    n, misses = 0, 0
    for b in blocks:
        lines = [l for l in b.strip().split("\n") if l.strip()]
        rid = None
        body = []
        for l in lines:
            if l.startswith("# id:"):
                rid = l[5:].strip()
            elif not l.startswith("#"):
                body.append(l.strip())
        if not body:
            continue
        raw = " ".join(body)
        text, tops, pos = "", [], 0
        for m in MARK.finditer(raw):
            text += raw[pos:m.start()]
            surface = m.group(1)
            start = len(text)
            text += surface
            p = pick(idx, surface, m.group(2))
            if p is None:
                misses += 1
                pos = m.end()
                continue
            tops.append(dict(start=start, end=start + len(surface), name=surface, lat=round(p["lat"], 5),
                             lon=round(p["lon"], 5), geonameid=p["id"] if p["id"] and p["id"] > 0 else None))
            print(f"{rid}\t{surface}\t{p['name']}\t{p['cls']}.{p['code']}\t{p['cc']}\t{p['pop']}\t{p['lat']:.3f},{p['lon']:.3f}",
                  file=sys.stderr)
            pos = m.end()
        text += raw[pos:]
        n += 1
        print(json.dumps(dict(id=rid or f"c{n:03d}", text=text, toponyms=tops), ensure_ascii=False))
    if misses:
        raise SystemExit(f"{misses} toponyms without a candidate")


if __name__ == "__main__":
    main()
