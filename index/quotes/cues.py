"""Speech cues: the speech verbs of an article (with their auxiliaries) and what follows them."""
from __future__ import annotations

from dataclasses import dataclass, replace

from index.quotes.article import Article
from index.quotes.marks import QuoteSpan
from index.speakers import DETERMINERS, INDEFINITE, PREPOSITIONS
from index.quotes.english import OBJECT_TAKING, bare_clause_before_that
from index.speech_verbs import EN_AUX, ES_AUX, SAY, VerbForm, lookup

# Words after which an infinitive speech verb is still a cue: 'went on to say', 'will say',
# 'volvió a insistir', 'quiso recordar'.
_EN_INFINITIVE_AFTER = frozenset("to will would could can may might should must did does do they we".split())
_ES_INFINITIVE_AFTER = frozenset("a quiso quisieron querido queria pudo pudieron puede pueden debe deben "
                                 "decidio decidieron prefirio quiere quieren".split())
_NOT_COMPLEMENTIZER = frozenset("tiempo vez ya mientras lo para hasta antes despues pesar sin asi "
                                "medida siempre cada modo manera so such".split())
# Plural subjects that do not end in -s: 'Police say', 'People say'.
_EN_COLLECTIVE_SUBJECTS = frozenset("police people authorities staff".split())
_EN_NOT_PLURAL = frozenset("this does always perhaps whereas unless across news sometimes besides".split())
_ASIDE_ADVERBS = frozenset("however though also nevertheless moreover furthermore".split())
_ES_ASIDE_ADVERBS = frozenset("ademas tambien asimismo igualmente finalmente luego despues ayer hoy".split())
EN_PASSIVE_AUXILIARIES = frozenset("was were been being is are be".split())
_DEMONSTRATIVES = frozenset("este esta ese esa sus mis".split())
_ADVERBS_BEFORE_QUE = frozenset("despues luego ya siempre".split())
MAX_COMPLEMENTIZER_GAP = 7  # words between a speech verb and its 'que': 'dijo a los periodistas que'
MAX_SETTING_GAP = 12        # the same after a time or place phrase, which may run longer
# Words that open a time or place phrase right after the verb.
_SETTING_OPENERS = frozenset("este esta ayer hoy anoche ante durante en desde tras".split())


@dataclass(frozen=True)
class Cue:
    """A speech verb in use: tokens `first` (an auxiliary or 'se') to `verb`."""

    first: int
    verb: int
    form: VerbForm


# 'dar a conocer' (to make known) is a speech verb of three words; the forms of 'dar' before 'a conocer'.
_DAR_FORMS = frozenset("dio dieron da dan daba daban dado".split())
_DAR_A_CONOCER = VerbForm("dar a conocer", SAY, "finite", "es")


# 'El alcalde fue enfático en que…', 'She was adamant that…': an adjective of insisting after a copula.
_EN_INSISTENT = frozenset("emphatic adamant insistent".split())
_INSISTENT_ADJECTIVES = frozenset("enfatico enfatica tajante contundente categorico categorica insistente".split()) \
    | _EN_INSISTENT
_COPULAS = frozenset("fue fueron es son era eran se mostro mostro was were is are".split())


def find_cues(art: Article) -> list[Cue]:
    """Every speech-verb use in the text, in order."""
    out = []
    toks = art.tokens
    for k, t in enumerate(toks):
        form = lookup(t.folded)
        if form is None and t.folded == "conocer" and k > 1 and toks[k - 1].folded == "a" \
                and toks[k - 2].folded in _DAR_FORMS:
            first = k - 3 if k > 2 and toks[k - 3].folded in ES_AUX and toks[k - 2].folded == "dado" else k - 2
            out.append(Cue(first, k, _DAR_A_CONOCER))  # 'así lo dio a conocer el titular', 'dio a conocer que'
            continue
        if form is None and t.folded in _INSISTENT_ADJECTIVES and k > 0 and toks[k - 1].folded in _COPULAS \
                and k + 1 < len(toks) and toks[k + 1].folded in ("en", "de", "que", "that"):
            lang = "en" if t.folded in _EN_INSISTENT else "es"
            out.append(Cue(k - 1, k, VerbForm("ser " + t.folded, SAY, "finite", lang)))  # 'fue enfático en que'
            continue
        if form is None or not t.is_word:
            continue
        prev = toks[k - 1].folded if k > 0 else ""
        # 'el anuncio' is a noun; 'anunció', 'él respondió' and 'este dijo' are not
        if (prev in DETERMINERS | INDEFINITE | _DEMONSTRATIVES and form.language == "es"
                and t.text == t.folded and t.folded.endswith("o") and not (k > 0 and toks[k - 1].text in ("Él", "él"))):
            continue
        if form.needs_que and (k + 1 >= len(toks) or toks[k + 1].folded != "que"
                               or prev in DETERMINERS | INDEFINITE | _DEMONSTRATIVES | PREPOSITIONS):
            continue  # 'la denuncia que presentó' is a noun; 'CCOO denuncia que' a cue
        first = k
        if form.language == "en" and prev in EN_PASSIVE_AUXILIARIES and form.form in ("finite", "participle"):
            continue  # 'was told that', 'were warned', 'was reported': the subject is not the speaker
        if form.form == "infinitive":
            allowed = _EN_INFINITIVE_AFTER if form.language == "en" else _ES_INFINITIVE_AFTER
            if form.language == "en" and prev not in allowed and k > 0 and _plural_subject(toks[k - 1]):
                form = replace(form, form="finite")  # 'Police say …': a present tense, not an infinitive
            elif prev not in allowed:
                continue
        if form.form == "participle":
            if prev not in ES_AUX | EN_AUX:
                if not (form.language == "en" and t.folded.endswith("ed")):  # English past doubles as participle
                    continue
            else:
                first = k - 1
        if first > 0 and toks[first - 1].folded == "se":
            first -= 1
        out.append(Cue(first, k, form))
    return out


def _plural_subject(t) -> bool:
    """'Police say', 'Officials warn', 'Residents say', 'NASA officials say': an English present plural,
    where the base form is finite. Not 'this', 'has', 'always' and the like."""
    if not t.is_word:
        return False
    if t.folded in _EN_COLLECTIVE_SUBJECTS:
        return True
    return len(t.folded) >= 4 and t.folded.endswith("s") and not t.folded.endswith(("ss", "us", "is")) \
        and t.folded not in _EN_NOT_PLURAL


def quote_starting_near(art: Article, k: int, max_tokens: int) -> QuoteSpan | None:
    """A properly opened quote that starts within `max_tokens` tokens after token k."""
    toks = art.tokens
    for j in range(k + 1, min(len(toks), k + 1 + max_tokens + 1)):
        q = art.quotes.starting_at(toks[j].start)
        if q is not None and q.opened:
            return q
        if toks[j].text in ".;!?" or toks[j].folded in ("que", "that"):
            return None
    return None


def complementizer(art: Article, k: int) -> int | None:
    """Token index of the 'que'/'that' that opens the reported clause after verb token k."""
    toks = art.tokens
    sentence = art.token_sentence[k]
    reach = MAX_COMPLEMENTIZER_GAP
    if k + 1 < len(toks) and toks[k + 1].folded in _SETTING_OPENERS:
        reach = MAX_SETTING_GAP  # 'sostuvo este martes ante la Audiencia Provincial de Jaén que'
    j = k + 1
    while j < len(toks) and j <= k + reach and art.token_sentence[j] == sentence:
        t = toks[j]
        if t.folded in ("que", "that"):
            adverb_after_verb = j - 1 == k + 1 and toks[j - 1].folded in _ADVERBS_BEFORE_QUE
            if toks[j - 1].folded in _NOT_COMPLEMENTIZER and not adverb_after_verb:
                return None  # 'declaró después que …' (an adverb right after the verb) stays a clause
            form = lookup(toks[k].folded)
            if t.folded == "that" and form is not None and form.language == "en" \
                    and form.lemma not in OBJECT_TAKING and bare_clause_before_that(toks, k, j):
                return None
            return j
        if t.text == "," and j + 1 < len(toks) and toks[j + 1].folded in _ASIDE_ADVERBS | {"that"}:
            j += 1  # 'said, however, that …'
            continue
        if t.text == "," and j + 1 < len(toks) and toks[j + 1].folded == "que" \
                and all(toks[x].folded in _ES_ASIDE_ADVERBS for x in range(k + 1, j)) and j > k + 1:
            return j + 1  # 'Dijo además, que necesitan apoyo': a stray comma after an adverb
        if not t.is_word or t.text in "«“\"":
            return None
        if lookup(t.folded) is not None and j > k + 1 and not _is_noun_after_determiner(art, j) \
                and not t.text[0].isupper():  # 'informó en Subrayado que': a programme's name, no second verb
            return None
        j += 1
    return None


def _is_noun_after_determiner(art: Article, j: int) -> bool:
    """'en un comunicado que', 'en el escrito': a participle after a determiner is a noun, not a verb."""
    return art.tokens[j - 1].folded in DETERMINERS | INDEFINITE and lookup(art.tokens[j].folded).form == "participle"
