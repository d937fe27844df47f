"""Quote extraction time against article length, and merge_people time against people: linear growth is the goal.

Builds Spanish and English news-style articles of 50, 100, 200 and 400 KB from varied paragraphs
(many distinct speakers, roles, quotes, reported speech, blank lines) and times extract_quotes on each.
Compare figures only as ratios inside one run.

Also merges 1000, 2000 and 4000 per-article people records (shared surnames, spelling variants).

Usage: nice -n 10 python bench/quotes_speed.py [--sizes 50,100,200,400] [--people 1000,2000,4000] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simplemma import is_known  # noqa: E402

from index.people import merge_people  # noqa: E402
from index.quotes import extract_quotes  # noqa: E402
from index.types import Document, Person  # noqa: E402

GIVEN = "Pedro Carmen Isabel Nicolás Margarita Felipe Rosa León Ana Luis Marta Jorge Elena Pablo Lucía Diego".split()
SURNAMES = ("Sánchez Martín Rodríguez Robles González Paz Blanco Flores Rubio Torres Navarro Gil Serrano "
            "Molina Ortega Delgado Castro Ramos Vidal Campos Lozano Prieto Herrera Medina").split()
ROLES = ["la portavoz del Gobierno", "el ministro de Economía", "la alcaldesa de la ciudad", "el entrenador",
         "the finance minister", "the company's chief executive", "the mayor"]
SPANISH = [
    "«{claim}», dijo {name} durante la rueda de prensa.",
    "{name}, {role_bare}, aseguró que {clause}.",
    "Según {name}, {clause}.",
    "{role_cap}, {name}, ha señalado que {clause}.",
    "«{claim}», declaró ayer {role}.",
    "Para {role}, {clause}.",
    "El informe, recogido por Europa Press, ha explicado que {clause}.",
]
ENGLISH = [
    '"{claim}," {name} said on Monday.',
    "{name} said that {clause_en}.",
    "According to {name}, {clause_en}.",
    "The plan, {pronoun} said, {clause_en}.",
    '"{claim_en}," said {role_en} {name}.',
]
CLAIMS = ["No vamos a subir los impuestos este año", "La obra estará terminada antes del verano",
          "El equipo ha jugado su mejor partido", "Necesitamos más médicos en los centros de salud"]
CLAUSES = ["el presupuesto crecerá un tres por ciento", "la huelga terminará la próxima semana",
           "los datos confirman la recuperación", "el tribunal revisará el caso en enero"]
CLAUSES_EN = ["would not change before the election", "the budget will grow by three percent",
              "the strike will end next week"]


def paragraph(rng: random.Random, n: int) -> str:
    name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}{'' if n % 7 else ' ' + rng.choice(SURNAMES)}"
    role = rng.choice(ROLES[:4])
    fields = dict(name=name, role=role, role_cap=role[0].upper() + role[1:], role_bare=role.split(" ", 1)[1],
                  claim=rng.choice(CLAIMS), clause=rng.choice(CLAUSES), clause_en=rng.choice(CLAUSES_EN),
                  claim_en="We will not back down", pronoun=rng.choice(["she", "he"]), role_en=rng.choice(ROLES[4:]))
    templates = ENGLISH if n % 5 == 4 else SPANISH
    return " ".join(rng.choice(templates).format(**fields) for _ in range(rng.randint(2, 4)))


def article(kilobytes: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < kilobytes * 1024:
        p = paragraph(rng, n)
        parts.append(p)
        size += len(p.encode("utf-8")) + 2
        n += 1
    return "\n\n".join(parts)


def people_records(n: int, seed: int = 0) -> list[Person]:
    """Per-article records as ingest produces them: full names, surnames alone, spelling variants."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        surname = rng.choice(SURNAMES) + ("" if i % 3 else str(i % 97))  # many distinct people per surname
        given = rng.choice(GIVEN)
        if i % 6 == 0:
            out.append(Person(surname, n_quotes=1))
        else:
            out.append(Person(f"{given} {surname}", (surname,), ("portavoz",) if i % 4 == 0 else (), n_quotes=i % 3))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,100,200,400", help="article sizes in KB, comma-separated")
    ap.add_argument("--people", default="1000,2000,4000", help="numbers of people records to merge")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    extract_quotes(Document(id="warm", title="", text=article(5)))  # imports and caches
    is_known("casa", lang="es")  # loads simplemma's dictionary once, as the first ingest does
    rows = []
    for kb in sizes:
        text = article(kb)
        t0 = time.perf_counter()
        result = extract_quotes(Document(id=f"a{kb}", title="", text=text))
        seconds = time.perf_counter() - t0
        rows.append({"kb": kb, "chars": len(text), "quotes": len(result.quotes), "people": len(result.people),
                     "seconds": round(seconds, 3), "ms_per_kb": round(1000 * seconds / kb, 2)})
    merges = []
    for n in [int(x) for x in args.people.split(",")]:
        records = people_records(n)
        t0 = time.perf_counter()
        merged = merge_people(records)
        merges.append({"records": n, "people": len(merged), "seconds": round(time.perf_counter() - t0, 3)})
    if args.json:
        print(json.dumps({"rows": rows, "merge_people": merges}))
    else:
        print(f"{'KB':>5} {'chars':>8} {'quotes':>7} {'people':>7} {'seconds':>8} {'ms/KB':>7}")
        for r in rows:
            print(f"{r['kb']:>5} {r['chars']:>8} {r['quotes']:>7} {r['people']:>7} {r['seconds']:>8} {r['ms_per_kb']:>7}")
        base = rows[0]
        for r in rows[1:]:
            print(f"{r['kb']} KB / {base['kb']} KB: size x{r['kb'] / base['kb']:.0f}, time x{r['seconds'] / base['seconds']:.1f}")
        print(f"{'records':>8} {'people':>7} {'seconds':>8}")
        for m in merges:
            print(f"{m['records']:>8} {m['people']:>7} {m['seconds']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
