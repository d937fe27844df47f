"""What a fact question needs of a sentence before the sentence can answer it.

Near-miss questions ("How much did the dinner cost?" over an article about the dinner) score high on
meaning and words alone; two checks that need no model refuse many of them:
- a quantity question (how many, how much, cuántos, qué porcentaje, what year) is answered only by a
  sentence that states a quantity: a digit or a number or quantity word; one about money (cost, pay,
  cobrar, precio) only by a sentence that names a currency;
- a name the question gives (capitalised words inside it) that none of the retrieved passages contains
  means the articles are not about it: nothing is cited. Across languages only words that no dictionary
  of the question's language knows count ('Alfaguara', not 'March' or 'Prize').
Both were checked on XQuAD's answer strings and questions (docs/answer-gate.md, "Answer types").
"""
from __future__ import annotations

import difflib
import re
from typing import Iterable

from simplemma import is_known

from index.speakers import NATION_WORDS, ORG_WORDS, PLACES, ROLE_HEADS
from index.text import STOPWORDS, cognate_keys, fold, stems

# The question's own interrogative asks for a quantity. Durations ("cuánto tiempo", "how long") are left
# out: their answers are as often "hasta el siglo XIX" as a number.
_QUANTITY_QUESTION = re.compile(
    r"^(?:\W*(?:y|and|en|in|a|at|de|of|por|by|desde|since|hasta|until|para|for)\s)?\W*"
    r"(?:how (?:many|much)\b(?! time)|what (?:percentage|proportion|share|number|fraction|amount|sum)\b|"
    r"cuant[oa]s?\b(?! tiempo| dur)|que (?:porcentaje|cantidad|numero|proporcion|suma)\b|"
    r"(?:what|which) year\b|(?:que|cual|en que) ano\b)")
# Number and quantity words of both languages: "cuatro", "a dozen", "la mitad", "ninguno", "muchas".
_QUANTITY_WORDS = frozenset(fold(w) for w in """
uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete
dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete
veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento cientos doscientos
doscientas trescientos trescientas cuatrocientos cuatrocientas quinientos quinientas seiscientos seiscientas
setecientos setecientas ochocientos ochocientas novecientos novecientas mil miles millón millones billón billones
decena decenas docena docenas centenar centenares medio media mitad doble triple ninguno ninguna nadie
muchos muchas varios varias pocos pocas todos todas mayoría minoría
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands
million millions billion billions trillion dozen dozens score half double twice triple none nobody many several
few all majority minority
""".split())
# A quantity question about money ("¿Cuánto costará…?", "How much did … pay?") needs an amount of money.
_MONEY_QUESTION = re.compile(
    r"\b(?:costs?|costed|costing|pric\w*|pay|pays|paid|earn\w*|salar\w*|wages?|money|spen[dt]\w*|fined?|budget\w*|worth|"
    r"cuest[ae]n?|cost(?:o|e|ara|aran|aria|aban?|aron)|precios?|cobr[aoe]\w*|pag[aoe]\w*|sueldos?|dinero|gast[aoe]\w*|multa\w*|"
    r"presupuest\w*)\b")
_HOW_MUCH = re.compile(r"\b(?:how much|cuanto|cuanta|what (?:amount|sum)|que suma)\b")
_MONEY = re.compile(
    r"[$€£¥]|\b(?:euros?|dolar(?:es)?|dollars?|pesos?|libras?|pounds?|sterling|yen|yuan|soles|bolivianos?|"
    r"quetzal(?:es)?|colones|guaranies|reales|francos?|francs?|rublos?|roubles?|rubles?|gratis|gratuit[oa]s?|"
    r"free of charge|usd|eur|gbp|mxn|ars|cents?|centimos?)\b")
_WORD = re.compile(r"[^\W\d_]+|\d")
# A name inside the question: a run of capitalised words, not at its start ("¿Quién ganó el Premio Alfaguara?").
_NAME_RUN = re.compile(r"(?<![\w'’])[A-ZÁÉÍÓÚÜÑ][\w'’.-]*(?: [A-ZÁÉÍÓÚÜÑ][\w'’.-]*)*")
# Spelling close enough to be the same name: typos and transliterations ('Bedigo' / 'Bendigo',
# 'Huguenots' / 'hugonotes'), checked on XQuAD's questions against their paragraphs.
_SAME_SPELLING = 0.7
_MIN_NAME_LETTERS = 3


def _bare(name: str) -> str:
    """Folded, without a possessive ("Santiváñez's" -> "santivanez")."""
    return re.split(r"['’]", fold(name))[0].strip("-.")


def asks_quantity(question: str) -> bool:
    return bool(_QUANTITY_QUESTION.match(fold(question).lstrip(" ¿¡\"'«“")))


def asks_money(question: str) -> bool:
    """'How much …' / '¿Cuánto …?' about a cost, a price or a payment; 'how many' counts things even in a
    budget story ('How many bills did the budget hold up?')."""
    folded = fold(question)
    return asks_quantity(question) and bool(_HOW_MUCH.search(folded)) and bool(_MONEY_QUESTION.search(folded))


def states_quantity(text: str) -> bool:
    return any(w.isdigit() or w in _QUANTITY_WORDS for w in _WORD.findall(fold(text)))


def states_money(text: str) -> bool:
    return bool(_MONEY.search(fold(text)))


def can_answer(question: str, sentence: str) -> bool:
    """False when the question asks for a quantity (of money) and the sentence states none."""
    if not asks_quantity(question):
        return True
    return states_money(sentence) if asks_money(question) else states_quantity(sentence)


def question_names(question: str) -> list[str]:
    """Runs of capitalised words inside the question that name something ('Premio Alfaguara', 'Mike
    Signer'), each without the words that only name a kind of thing: stopwords, roles, organisation words,
    nationalities (an article may translate those). A run left with no word is dropped."""
    body = question.strip().lstrip(" ¿¡\"'«“")
    names = []
    for m in _NAME_RUN.finditer(body):
        if fold(m.group()) in PLACES:
            continue  # well-known places are often written as adjectives ('estadounidense')
        kept = [re.sub(r"['’]s?$", "", w) for w in re.split(r"[ -]", m.group()) if _is_name_word(_bare(w))]
        if m.start() == 0:
            kept = kept[1:] if kept and kept[0] == m.group().split()[0] else kept
        if kept and fold(" ".join(kept)) not in PLACES:  # 'En Estados Unidos, ¿…'
            names.append(" ".join(kept))
    return list(dict.fromkeys(names))


def _is_name_word(word: str) -> bool:
    return (len(word) >= _MIN_NAME_LETTERS and word not in STOPWORDS["es"] and word not in STOPWORDS["en"]
            and word not in ROLE_HEADS and word.rstrip("s") not in ROLE_HEADS and word not in ORG_WORDS
            and word not in NATION_WORDS)


def absent_names(question: str, passages: Iterable[str], language: str, across: bool = False) -> list[str]:
    """The question's names that none of `passages` contains: a name is there when one of its words that no
    dictionary of the question's `language` knows is there ('Lutero' of 'Martín Lutero', 'Signer' of 'Mike
    Signer' in Spanish), or, when all its words are ordinary ones ('Rosa Paz', 'Premio Alfaguara'), all of
    them; by folded spelling, stem, cognate key, or a spelling at least _SAME_SPELLING alike (typos).

    `across`: some passages are in another language. Then ordinary words prove nothing ('March', 'Prize',
    'Coalition of the Willing': the article translates them), nor do acronyms ('CPI' / 'IPC'); a name with
    no other word is not checked.
    """
    def distinctive(word: str) -> bool:
        acronym = re.split(r"['’]", word)[0].removesuffix("s").isupper()  # 'MSPs', "UMC's"
        return not is_known(_bare(word), language) and not (across and acronym)

    checked = {}  # name -> (words to look for, whether all of them must be found)
    for name in question_names(question):
        words = [w for w in name.split() if distinctive(w)]
        if words:
            checked[name] = (words, False)
        elif not across:
            checked[name] = (name.split(), True)
    if not checked:
        return []
    texts = list(passages)
    folded = " ".join(fold(t) for t in texts)
    vocabulary = set(_WORD.findall(folded))
    squashed = folded.replace(" ", "")  # 'Superbowl' is in 'Super Bowl'
    keys = {k for t in texts for k in cognate_keys(t)}
    found_stems = {s for t in texts for lang in ("es", "en") for s in stems(t, lang)}

    def present(word: str) -> bool:
        bare = _bare(word)
        return (bare in vocabulary or len(bare) >= 6 and bare in squashed
                or bool(set(cognate_keys(word)) & keys)
                or bool({s for lang in ("es", "en") for s in stems(word, lang)} & found_stems)
                or bool(difflib.get_close_matches(bare, vocabulary, n=1, cutoff=_SAME_SPELLING)))

    return [name for name, (words, every) in checked.items()
            if not (all if every else any)(present(w) for w in words)]
