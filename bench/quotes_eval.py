"""Speaker-correct recall and precision of Assistant.quotes() against a hand-made gold file.

    python bench/quotes_eval.py                       # the three sample articles vs seed_quotes_dev.jsonl
    python bench/quotes_eval.py --corpus data/quotes_dev/articles --gold data/quotes_dev/gold.jsonl
    python bench/quotes_eval.py --corpus /work/realnews/pages --gold /work/realnews/quotes_gold.jsonl --json
    add -v for the misses, wrong speakers and spurious quotes, one a line; --per-article to score
    attribution inside each article alone (speakers are otherwise canonical names merged across the corpus,
    so two people who share a surname in different articles can become one)

The articles (*.txt, *.md, *.html directly in the corpus folder; a doc id is the file name without its
extension) are ingested into a fresh temporary index through `Assistant`, as a user would, and
`Assistant.quotes()` is scored. Gold is JSON lines: `doc`, `text` (or the seed's `evidence`; an exact
substring of the article, located at its first occurrence), `speaker`, and optionally `speaker_kind`
(person|organization|role; person when absent), `speaker_aliases` (other names the article gives that
speaker, each accepted: an unnamed witness is 'la testigo' and 'una jubilada de Marbella'; `speaker_also`
is read too), `direct`, `pattern`, `lang`.

Span matching, with θ = --min-overlap (0.5 for a corpus; 0, meaning any shared character, for the
sample, as this script always scored it):
- a gold statement is FOUND when the extracted quotes of its article whose speaker matches cover at
  least θ of the gold span's characters together (a quote split in two still counts), and at least
  one character;
- an extracted quote is CORRECT when it shares at least θ·min(len(quote), len(gold)) characters (and
  at least one) with a gold span of its article whose speaker matches; a WRONG SPEAKER when that holds
  for a gold span only without the speaker; otherwise SPURIOUS.
Recall = found / gold; precision = correct / extracted. `span recall` ignores the speaker.

Speakers match (see `speakers_match`) when, folded (case and accents ignored) and without leading
articles, they are equal; for a person, when `index.people.same_name` says so ('Lucía Rubio' ~ 'Rubio';
a role such as 'la ministra' never matches a named person); for an organisation or an unnamed role,
when the content words of one are all among the other's ('Policía' ~ 'Policía Nacional'). Leading titles
('Dr', 'Judge', 'Senator', 'don') are ignored for persons.
Precision by language uses the language of the article's gold lines.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.people import same_name  # noqa: E402
from index.text import fold  # noqa: E402

# shared/ sits beside the checkout (CI, main) or beside the worktrees' folder.
SAMPLE_GOLD = next((d / "shared" / "data" / "seed_quotes_dev.jsonl" for d in ROOT.parents
                    if (d / "shared" / "data" / "seed_quotes_dev.jsonl").is_file()),
                   ROOT.parent / "shared" / "data" / "seed_quotes_dev.jsonl")
SAMPLE_ARTICLES = ROOT / "data" / "articles"
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
SPEAKER_KINDS = ("person", "organization", "role")
# Words that carry no identity in a speaker name: articles, prepositions, possessives (es, en).
FUNCTION_WORDS = frozenset(
    "el la los las lo un una unos unas de del al y su sus en por para the a an of for to at in and its his her their".split()
)
# Honorifics and titles that may stand before a name without changing who it is ('Judge Susan Bishop').
TITLE_WORDS = frozenset(
    "dr dra doctor doctora judge justice senator senators sen rep professor prof mr mrs ms miss sir dame lord lady "
    "councillor president don dona sr sra srta".split()
)


@dataclass(frozen=True)
class Gold:
    doc: str
    text: str
    speaker: str
    speaker_kind: str
    speaker_aliases: tuple[str, ...]
    direct: bool | None
    pattern: str
    lang: str
    start: int = -1
    end: int = -1


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    span_found: int = 0
    extracted: int = 0
    correct: int = 0
    wrong_speaker: int = 0

    def as_dict(self) -> dict:
        return {
            "gold": self.gold, "found": self.found, "extracted": self.extracted, "correct": self.correct,
            "wrong_speaker": self.wrong_speaker,
            "recall": round(self.found / self.gold, 3) if self.gold else None,
            "span_recall": round(self.span_found / self.gold, 3) if self.gold else None,
            "precision": round(self.correct / self.extracted, 3) if self.extracted else None,
        }


@dataclass
class Result:
    overall: Tally = field(default_factory=Tally)
    by_lang: dict = field(default_factory=lambda: defaultdict(Tally))
    by_pattern: dict = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict = field(default_factory=lambda: defaultdict(Tally))
    misses: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    spurious: list = field(default_factory=list)


def _content_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", fold(name)) if w not in FUNCTION_WORDS]


def _without_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in TITLE_WORDS:
        words = words[1:]
    return words


def speakers_match(gold: str, gold_kind: str, got: str) -> bool:
    """Whether an extracted speaker name names the gold speaker (rules in the module docstring)."""
    g, q = _content_words(gold), _content_words(got)
    if not g or not q:
        return False
    if g == q:
        return True
    if gold_kind == "person":
        return same_name(" ".join(_without_titles(g)), " ".join(_without_titles(q)))
    return set(q) <= set(g) or set(g) <= set(q)


def _names(g: Gold, got: str) -> bool:
    return any(speakers_match(name, g.speaker_kind, got) for name in (g.speaker, *g.speaker_aliases))


def read_gold(path: Path) -> list[Gold]:
    """Gold lines from a JSON lines file; a line without doc, text/evidence or speaker is an error."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"{path}:{n}: not JSON ({error}): fix the line") from error
        text = row.get("text", row.get("evidence"))
        if not row.get("doc") or not text or not row.get("speaker"):
            raise SystemExit(f"{path}:{n}: a gold line needs doc, text (or evidence) and speaker, got {sorted(row)}")
        kind = row.get("speaker_kind", "person")
        if kind not in SPEAKER_KINDS:
            raise SystemExit(f"{path}:{n}: speaker_kind {kind!r} is not one of {SPEAKER_KINDS}")
        also = row.get("speaker_aliases", row.get("speaker_also", []))
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            raise SystemExit(f"{path}:{n}: speaker_aliases must be a list of names, got {also!r}")
        out.append(Gold(doc=row["doc"], text=text, speaker=row["speaker"], speaker_kind=kind, speaker_aliases=tuple(also),
                        direct=row.get("direct"), pattern=row.get("pattern", "unlabelled"),
                        lang=row.get("lang", "?")))
    if not out:
        raise SystemExit(f"{path}: no gold lines")
    return out


def article_files(corpus: Path) -> list[Path]:
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file())
    if not files:
        raise SystemExit(f"{corpus}: no {'/'.join(ARTICLE_SUFFIXES)} articles in this folder")
    return files


def locate(gold: list[Gold], texts: dict[str, str]) -> list[Gold]:
    """Each gold line with its span in the ingested article; unknown docs and texts not found are errors."""
    out, errors = [], []
    for g in gold:
        if g.doc not in texts:
            errors.append(f"doc {g.doc!r} is not in the corpus (ids are file names without extension)")
            continue
        start = texts[g.doc].find(g.text)
        if start < 0:
            errors.append(f"text not found in {g.doc}: {g.text[:70]!r}")
            continue
        out.append(Gold(**{**g.__dict__, "start": start, "end": start + len(g.text)}))
    if errors:
        raise SystemExit("gold does not fit the corpus:\n  " + "\n  ".join(errors[:20]))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """Characters of [start, end) inside the union of spans."""
    covered, cursor = 0, start
    for s, e in sorted(spans):
        s, e = max(s, cursor), min(e, end)
        if e > s:
            covered += e - s
            cursor = e
    return covered


def score(gold: list[Gold], quotes: list, min_overlap: float) -> Result:
    """Recall, precision and their breakdowns for located gold lines and extracted quotes (see docstring)."""
    res = Result()
    doc_lang = {g.doc: g.lang for g in gold}
    by_doc = defaultdict(list)
    for q in quotes:
        by_doc[q.doc_id].append(q)
    for g in gold:
        here = by_doc[g.doc]
        length = g.end - g.start
        need = max(1, min_overlap * length)
        good = [(q.start, q.end) for q in here if _names(g, q.speaker)]
        found = _covered(good, g.start, g.end) >= need
        span_found = _covered([(q.start, q.end) for q in here], g.start, g.end) >= need
        for t in (res.overall, res.by_lang[g.lang], res.by_pattern[g.pattern], res.by_kind[g.speaker_kind]):
            t.gold += 1
            t.found += found
            t.span_found += span_found
        if not found:
            got = sorted({q.speaker for q in here if _overlap(q.start, q.end, g.start, g.end)})
            res.misses.append({"doc": g.doc, "pattern": g.pattern, "speaker": g.speaker, "text": g.text,
                               "extracted_speakers_here": got})
    gold_by_doc = defaultdict(list)
    for g in gold:
        gold_by_doc[g.doc].append(g)
    for q in quotes:
        hits = [g for g in gold_by_doc[q.doc_id]
                if _overlap(q.start, q.end, g.start, g.end) >= max(1, min_overlap * min(q.end - q.start, g.end - g.start))]
        correct = any(_names(g, q.speaker) for g in hits)
        lang = doc_lang.get(q.doc_id, "?")
        for t in (res.overall, res.by_lang[lang]):
            t.extracted += 1
            t.correct += correct
            t.wrong_speaker += bool(hits) and not correct
        row = {"doc": q.doc_id, "speaker": q.speaker, "speaker_kind": q.speaker_kind, "cue": q.cue, "text": q.text}
        if hits and not correct:
            res.wrong.append({**row, "gold_speakers": sorted({g.speaker for g in hits})})
        elif not hits:
            res.spurious.append(row)
    return res


def extract(files: list[Path], per_article: bool = False):
    """Ingest the files into a fresh temporary index (one per article with per_article, so that no name is
    merged across articles); return (quotes, {doc id: stored text})."""
    from assistant import Assistant

    quotes, texts = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, group in enumerate([[p] for p in files] if per_article else [files]):
            assistant = Assistant.open(Path(tmp) / f"index{n}")
            assistant.ingest([str(p) for p in group])
            quotes += assistant.quotes()
            texts.update({d.id: assistant.document(d.id).text for d in assistant.documents()})
    for q in quotes:  # every stored offset is checked by slicing the source text
        assert texts[q.doc_id][q.start:q.end] == q.text, q
    return quotes, texts


def _line(name: str, t: Tally) -> str:
    d = t.as_dict()
    r = f"{d['recall']:.3f} ({t.found}/{t.gold})" if t.gold else "-"
    p = f"{d['precision']:.3f} ({t.correct}/{t.extracted})" if t.extracted else "-"
    s = f"{d['span_recall']:.3f}" if t.gold else "-"
    return f"{name:24} recall {r:18} precision {p:18} span recall {s}"


def report(res: Result, verbose: bool) -> str:
    out = [_line("overall", res.overall)]
    out += [_line(f"lang {k}", v) for k, v in sorted(res.by_lang.items())]
    out.append("recall by speaker kind:")
    out += [_line(f"  {k}", v) for k, v in sorted(res.by_kind.items())]
    out.append("recall by pattern:")
    out += [_line(f"  {k}", v) for k, v in sorted(res.by_pattern.items())]
    if verbose:
        for m in res.misses:
            out.append(f"MISS   {m['doc']} [{m['pattern']}] {m['speaker']}: {m['text'][:80]!r}  extracted here: {m['extracted_speakers_here']}")
        for w in res.wrong:
            out.append(f"WRONG  {w['doc']} got {w['speaker']} ({w['speaker_kind']}, cue {w['cue']!r}), gold {w['gold_speakers']}: {w['text'][:70]!r}")
        for s in res.spurious:
            out.append(f"EXTRA  {s['doc']} {s['speaker']} ({s['speaker_kind']}, cue {s['cue']!r}): {s['text'][:80]!r}")
    return "\n".join(out)


def as_json(res: Result, args: dict) -> dict:
    return {
        "settings": args,
        "overall": res.overall.as_dict(),
        "by_lang": {k: v.as_dict() for k, v in sorted(res.by_lang.items())},
        "by_speaker_kind": {k: v.as_dict() for k, v in sorted(res.by_kind.items())},
        "by_pattern": {k: v.as_dict() for k, v in sorted(res.by_pattern.items())},
        "misses": res.misses, "wrong_speakers": res.wrong, "spurious": res.spurious,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", "--articles", dest="corpus", help="folder of articles (default: the sample)")
    ap.add_argument("--gold", help="gold JSON lines (default with no --corpus: the seed sample gold)")
    ap.add_argument("--min-overlap", type=float, default=None,
                    help="θ, the share of characters a match needs (default 0.5; 0 = any overlap, the sample default)")
    ap.add_argument("--per-article", action="store_true",
                    help="one index per article: attribution alone, without names merged across articles")
    ap.add_argument("--json", action="store_true", help="print one JSON object, misses included")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, wrong speakers and spurious quotes")
    args = ap.parse_args(argv)
    if args.corpus and not args.gold:
        ap.error("--corpus needs --gold FILE (the gold statements of that corpus)")
    corpus = Path(args.corpus) if args.corpus else SAMPLE_ARTICLES
    gold_path = Path(args.gold) if args.gold else SAMPLE_GOLD
    theta = args.min_overlap if args.min_overlap is not None else (0.5 if args.corpus else 0.0)
    if not 0.0 <= theta <= 1.0:
        ap.error(f"--min-overlap must be between 0 and 1, got {theta}")
    if not corpus.is_dir():
        ap.error(f"--corpus {corpus} is not a folder")
    if not gold_path.is_file():
        ap.error(f"--gold {gold_path} does not exist")

    gold = read_gold(gold_path)
    quotes, texts = extract(article_files(corpus), args.per_article)
    res = score(locate(gold, texts), quotes, theta)
    if args.json:
        print(json.dumps(as_json(res, {"corpus": str(corpus), "gold": str(gold_path), "min_overlap": theta,
                                       "per_article": args.per_article, "articles": len(texts)}), ensure_ascii=False, indent=1))
    else:
        scope = "one index per article" if args.per_article else "one index"
        print(f"{len(texts)} articles ({scope}), {len(gold)} gold statements, {len(quotes)} extracted quotes, θ = {theta}")
        print(report(res, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
