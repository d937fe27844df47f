"""A nationality or regional noun standing for a person: 'The Spaniard said…', 'El argentino aseguró…',
'la asturiana añadió…'. It refers to the person just named whose context gives that nationality ('Spain's
Carlos Alcaraz', 'el tenista argentino Diego Flores'), else to the person named last."""
from __future__ import annotations

import re
from bisect import bisect_left

from index.quotes.article import Article
from index.quotes.roles import DEFINITE_GENDER, person_gender
from index.speakers import PREPOSITIONS, Entity
from index.text import fold

DEMONYM_SENTENCES = 2  # how far back the person it stands for may be named
_CONTEXT_TOKENS = 4    # words before a name that may give the nationality ('Spain's', 'tenista argentino')
_GROUPS = """
español española spaniard spanish españa spain | argentino argentina argentine argentinian |
mexicano mexicana mexican méxico mexico | colombiano colombiana colombian colombia | chileno chilena chilean chile |
peruano peruana peruvian perú peru | venezolano venezolana venezuelan venezuela | uruguayo uruguaya uruguayan uruguay |
paraguayo paraguaya paraguayan paraguay | boliviano boliviana bolivian bolivia | ecuatoriano ecuatoriana ecuadorian ecuador |
cubano cubana cuban cuba | brasileño brasileña brazilian brasil brazil | francés francesa frenchman frenchwoman french francia france |
alemán alemana german alemania germany | italiano italiana italian italia italy |
británico británica briton british inglés inglesa englishman englishwoman english inglaterra england reino unido |
escocés escocesa scot scottish escocia scotland | galés galesa welshman welsh gales wales |
irlandés irlandesa irishman irishwoman irish irlanda ireland | estadounidense norteamericano norteamericana american |
canadiense canadian canadá canada | australiano australiana australian australia | ruso rusa russian rusia russia |
ucraniano ucraniana ukrainian ucrania ukraine | portugués portuguesa portuguese portugal |
neerlandés neerlandesa holandés holandesa dutchman dutchwoman dutch holanda | belga belgian bélgica belgium |
suizo suiza swiss suiza switzerland | austriaco austriaca austrian austria | sueco sueca swede swedish suecia sweden |
noruego noruega norwegian noruega norway | danés danesa dane danish dinamarca denmark | polaco polaca pole polish polonia poland |
checo checa czech chequia | griego griega greek grecia greece | serbio serbia serb serbian | croata croat croatian croacia croatia |
japonés japonesa japanese japón japan | marroquí moroccan marruecos morocco | nigeriano nigeriana nigerian nigeria |
asturiano asturiana asturias | gallego gallega galicia | catalán catalana cataluña | vasco vasca euskadi |
andaluz andaluza andalucía | madrileño madrileña madrid | valenciano valenciana valencia | canario canaria canarias |
leonés leonesa león | murciano murciana murcia | aragonés aragonesa aragón | extremeño extremeña extremadura |
bielorruso bielorrusa belarusian bielorrusia belarus | rumano rumana romanian rumania romania |
húngaro húngara hungarian hungría hungary | búlgaro búlgara bulgarian bulgaria | turco turca turk turkish turquía turkey |
chino china chinese | indio india indian | israelí israeli israel | iraní iranian irán iran | egipcio egipcia egyptian egipto egypt |
sudafricano sudafricana sudáfrica | coreano coreana korean corea korea | kazajo kazaja kazakh kazajistán |
georgiano georgiana georgian | finlandés finlandesa finn finnish finlandia finland | esloveno eslovena slovenian slovene eslovenia |
eslovaco eslovaca slovak eslovaquia | letón letona latvian letonia | lituano lituana lithuanian lituania |
estonio estonia estonian | tunecino tunecina tunisian túnez | argelino argelina algerian argelia algeria |
senegalés senegalesa senegalese senegal | camerunés camerunesa cameroonian camerún | ghanés ghanesa ghanaian ghana |
dominicano dominicana dominican | puertorriqueño puertorriqueña | hondureño hondureña honduran honduras |
guatemalteco guatemalteca guatemalan guatemala | salvadoreño salvadoreña salvadoran | nicaragüense nicaraguan nicaragua |
costarricense | panameño panameña panamanian panamá panama | neozelandés neozelandesa
"""
# folded word -> its group: the nouns that may stand for a person, and the words that give a person that origin
_ORIGIN: dict[str, int] = {fold(w): i for i, group in enumerate(_GROUPS.split("|")) for w in group.split()}
# words that name a country or an adjective only, never a person on their own ('Spain', 'spanish', 'méxico')
_NOT_A_PERSON = frozenset(fold(w) for w in """spain spanish españa argentina mexico méxico colombia chile peru perú
venezuela uruguay paraguay bolivia ecuador cuba brasil brazil french francia france alemania germany italia italy
british english inglaterra england escocia scotland scottish welsh gales wales irish irlanda ireland american
canada canadá australia rusia russia ucrania ukraine portugal holanda dutch bélgica belgium suiza switzerland
austria suecia sweden swedish noruega norway danish dinamarca denmark polish polonia poland chequia grecia greece
croacia croatia japan japón marruecos morocco nigeria asturias galicia cataluña euskadi andalucía madrid valencia
canarias león murcia aragón extremadura reino unido bielorrusia belarus rumania romania hungría hungary bulgaria turquía
turkey china india israel irán iran egipto egypt sudáfrica corea korea kazajistán finlandia finland eslovenia eslovaquia letonia
lituania estonia túnez argelia algeria senegal camerún ghana honduras guatemala nicaragua panamá panama""".split())


def is_nationality_noun(phrase: str) -> bool:
    """'argentino', 'Norwegian': a noun of origin, which names a person only through the article's context."""
    return fold(phrase) in _ORIGIN and fold(phrase) not in _NOT_A_PERSON


def other_origin(word: str, person: Entity) -> bool:
    """Whether the person's roles give an origin other than the nationality noun `word`'s ('la bielorrusa
    Arina Volkova' for 'la española')."""
    origins = {_ORIGIN[w] for r in person.all_roles() for w in re.findall(r"\w+", fold(r)) if w in _ORIGIN}
    return bool(origins) and _ORIGIN.get(fold(word)) not in origins


def stands_for_person(art: Article, k: int) -> bool:
    """Whether token k is a nationality noun after a singular definite article ('el argentino', 'The Spaniard')."""
    toks = art.tokens
    word = toks[k].folded
    # 'la argentina' in lower case is a woman; 'la Argentina' the country
    return word in _ORIGIN and (word not in _NOT_A_PERSON or toks[k].text.islower()) and k > 0 \
        and toks[k - 1].folded in ("el", "la", "the")


def person_of_origin(art: Article, persons, person_starts: list[int], askers: frozenset[int], k: int,
                     since: int | None = None) -> Entity | None:
    """The person 'el argentino' at token k stands for: the one whose context gives that origin, else the person
    named last when nobody else is named in that sentence; None when that is ambiguous."""
    toks = art.tokens
    origin = _ORIGIN[toks[k].folded]
    gender = DEFINITE_GENDER.get(toks[k - 1].folded)
    sentence = art.token_sentence[k if since is None else min(k, since)]
    candidates: dict[int, Entity] = {}
    matching: dict[int, Entity] = {}
    sentences_of: dict[int, int] = {}  # the latest sentence each candidate is named in
    i = bisect_left(person_starts, k) - 1
    while i >= 0 and art.token_sentence[persons[i].first] >= sentence - DEMONYM_SENTENCES:
        m = persons[i]
        after_previous = persons[i - 1].last + 1 if i > 0 else 0  # another person's words are not this one's context
        i -= 1
        if id(m.entity) in askers or gender is not None and person_gender(m.entity) not in (None, gender):
            continue
        if m.first > 0 and toks[m.first - 1].folded in PREPOSITIONS:
            continue  # 'pierde a Rashford', 'a goal from Mata': a complement, not who the article follows
        context = [t.folded for t in toks[max(after_previous, m.first - _CONTEXT_TOKENS):m.last + 1]]  # "Spain's Carlos Alcaraz"
        context += [fold(w) for r in m.entity.all_roles() for w in r.split()]
        context += [t.folded for t in toks[m.last + 1:m.last + 1 + _CONTEXT_TOKENS]]  # 'Arina Volkova, bielorrusa'
        origins = {_ORIGIN[w] for w in (re.split(r"['’]", w)[0] for w in context) if w in _ORIGIN}
        if origins and origin not in origins:
            continue  # 'la bielorrusa Arina Volkova' is not 'la española'
        candidates.setdefault(id(m.entity), m.entity)
        sentences_of.setdefault(id(m.entity), art.token_sentence[m.first])
        if origin in origins:
            matching.setdefault(id(m.entity), m.entity)
    if len(matching) == 1:
        return next(iter(matching.values()))
    if matching or not candidates:
        return None
    latest = next(iter(candidates))  # named last: when nobody else is named in that sentence, the one followed
    if list(sentences_of.values()).count(sentences_of[latest]) == 1:
        return candidates[latest]
    return None
