"""Builds the quote dev set (articles/*.txt and gold.jsonl) from the annotated sources in annotated/*.ann.

    python data/quotes_dev/build.py          # rewrites articles/ and gold.jsonl, checks every span

An .ann file is the article as it will be stored, with each statement marked inline as
`⟦words|KEY|D|pattern⟧` (D direct, R reported), then a line `===` and a legend:

    lang: es
    KEY: Canonical Name | person      (or organization, or role)
    KEY: la testigo | role | una jubilada de Marbella     (other names the article gives the speaker)
    + words | KEY | D | pattern    (a statement inside a marked one, e.g. a quote within a quote: the
                                    words must occur once in the article)

The marks are removed to give the article; each mark becomes one gold line whose `text` is the
marked words, so every gold span is an exact substring of its article by construction (and is
checked again after writing).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"⟦([^⟦⟧|]+)\|([A-Za-z0-9]+)\|([DR])\|([a-z_]+)⟧")
KINDS = ("person", "organization", "role")
# The construction or trap each statement exercises (one label, the most telling one).
PATTERNS = {
    "direct_post_cue": "«…», dijo X / «…», afirmó la ministra",
    "direct_post_adverb": "something between the cue verb and the speaker: «…», afirmó ayer la ministra",
    "direct_pre_colon": "X: «…» / X concluyó: «…»",
    "direct_que": "a direct quote after que: dijo que «…»",
    "direct_carry": "a quote with no cue of its own, right after one by the same speaker",
    "direct_fragment": "a few quoted words inside narration: calificó de «irresponsable» la convocatoria",
    "direct_multi_para": "one quote running over several paragraphs",
    "direct_nested": "a quote that contains another person's quoted words",
    "nested_inner": "the inner quote of a direct_nested one, said by someone else",
    "reported_que": "dijo que / aseguró que / ha indicado que …",
    "reported_infinitive": "negó haber … / la acusó de improvisar …",
    "segun": "según X, … / …, según ha indicado X",
    "para_x": "Para X, …",
    "en_palabras_de": "En palabras de X, …",
    "pronoun_carry": "no subject: Añadió que … / … , apuntó.",
    "role_resolved": "a role ('la consejera', 'el técnico') for a person the article names elsewhere",
    "role_unresolved": "a role for a person the article never names",
    "org_source": "an organisation or anonymous sources as speaker: la compañía explicó, fuentes de Moncloa",
    "fronted_topic": "Sobre la OTAN, X dijo que …",
    "media_credit": "a medium that is not the speaker: recogidas por Europa Press, in an interview with the BBC",
    "addressee_trap": "a request whose addressee is not the speaker: pidió al alcalde que …, urged ministers to …",
    "en_said_post": '"…," X said / said X',
    "en_said_pre": 'X said, "…"',
    "en_colon": 'X said: "…" / X replied: "…"',
    "en_mid_said": '"…," X said, "…" (one quote split by its cue)',
    "en_said_that": "X said (that) …",
    "en_told_reporters": "X told reporters that …",
    "en_according_to": "According to X, …",
    "en_went_on": "X went on to say that …",
    "en_added": "He/She added that …",
    "en_fragment": 'called the lanes "a disaster for business"',
    "headline_colon": "a title line 'Apellido: «…»' or 'Apellido: frase' for a speaker the body names",
    "nested_reported": "a quote inside a reported clause: X dijo que el alcalde «sabía…» (X's words)",
    "reported_np": "a critical verb with a long noun-phrase object: X criticó la tardía detención de …",
    "en_told_to": "X told lawmakers not to … / urged ministers to … (the subject speaks, the object is addressed)",
    "en_reported_np": "X praised Y for … / X singled out Y as … / X denounced Y as …",
    "en_document_subject": '"…," the statement said: the organisation or person who issued it speaks',
    "en_interviewer": "an interviewer named between the question and the answer, who is not the speaker",
    "en_joint": "two speakers of one statement: X and Y warned that …",
    "headline_colon_after": "a title line '«…»: Gobernador X' with the speaker after the colon",
    "dar_a_conocer": "…, así lo dio a conocer X (the clause before 'así lo' is the statement)",
    "insisting_adjective": "X fue enfático en que … / X was adamant that …",
    "coordinated_cue": "X informó que … y aseguró que … / «…» y agregó que …",
    "en_participle": "X praised Y, saying …",
}


def parse(path: Path) -> tuple[str, list[dict]]:
    """The plain article text and its gold statements, from one annotated file."""
    raw = path.read_text(encoding="utf-8")
    body, sep, legend_text = raw.rpartition("\n===\n")
    if not sep:
        raise SystemExit(f"{path}: no '===' line before the legend: add one after the article")
    legend, lang, inner = {}, None, []
    for line in legend_text.strip().splitlines():
        if line.startswith("+"):
            inner.append([p.strip() for p in line[1:].split("|")])
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "lang":
            lang = value
            continue
        parts = [p.strip() for p in value.split("|")]
        if len(parts) not in (2, 3) or parts[1] not in KINDS:
            raise SystemExit(f"{path}: legend line {line!r} needs 'Name | person|organization|role [| alt; alt]'")
        also = [a.strip() for a in parts[2].split(";") if a.strip()] if len(parts) == 3 else []
        legend[key] = (parts[0], parts[1], also)
    if lang not in ("es", "en"):
        raise SystemExit(f"{path}: legend needs 'lang: es' or 'lang: en', got {lang!r}")
    doc = path.stem
    text_parts, gold, pos = [], [], 0
    plain_len = 0
    for m in MARK.finditer(body):
        before = body[pos:m.start()]
        text_parts.append(before)
        plain_len += len(before)
        words, key, flag, pattern = m.groups()
        if key not in legend:
            raise SystemExit(f"{path}: speaker key {key!r} is not in the legend (mark {words[:40]!r})")
        if pattern not in PATTERNS:
            raise SystemExit(f"{path}: pattern {pattern!r} is not one of {sorted(PATTERNS)}")
        name, kind, also = legend[key]
        row = {"doc": doc, "text": words, "speaker": name, "speaker_kind": kind,
               "direct": flag == "D", "pattern": pattern, "lang": lang, "start": plain_len}
        if also:
            row["speaker_aliases"] = also
        gold.append(row)
        text_parts.append(words)
        plain_len += len(words)
        pos = m.end()
    text_parts.append(body[pos:])
    plain = "".join(text_parts)
    for parts in inner:
        if len(parts) != 4 or parts[1] not in legend or parts[2] not in ("D", "R"):
            raise SystemExit(f"{path}: inner line {parts!r} needs '+ words | KEY | D|R | pattern'")
        words, key, flag, pattern = parts
        if plain.count(words) != 1:
            raise SystemExit(f"{path}: inner words {words!r} occur {plain.count(words)} times, need exactly once")
        if pattern not in PATTERNS:
            raise SystemExit(f"{path}: pattern {pattern!r} is not one of {sorted(PATTERNS)}")
        name, kind, also = legend[key]
        row = {"doc": doc, "text": words, "speaker": name, "speaker_kind": kind,
               "direct": flag == "D", "pattern": pattern, "lang": lang, "start": plain.index(words)}
        if also:
            row["speaker_aliases"] = also
        gold.append(row)
    text = "".join(text_parts).rstrip() + "\n"
    if text[:1].isspace():
        raise SystemExit(f"{path}: the article must start with its title line, not whitespace")
    for stray in ("⟦", "⟧"):
        if stray in text:
            at = text.index(stray)
            raise SystemExit(f"{path}: malformed mark near {text[max(0, at - 30):at + 30]!r}")
    return text, gold


def main() -> int:
    sources = sorted((HERE / "annotated").glob("*.ann"))
    out_dir = HERE / "articles"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.glob("*.txt"):
        old.unlink()
    all_gold = []
    for src in sources:
        text, gold = parse(src)
        (out_dir / f"{src.stem}.txt").write_text(text, encoding="utf-8")
        for g in gold:
            start = g.pop("start")
            assert text[start:start + len(g["text"])] == g["text"], (src, g)
        all_gold.extend(gold)
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as f:
        for g in all_gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    langs = {lang: sum(1 for g in all_gold if g["lang"] == lang) for lang in ("es", "en")}
    print(f"{len(sources)} articles, {len(all_gold)} statements {langs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
