"""The speech-verb lexicon: which folded word forms are speech cues, in Spanish and English."""
from __future__ import annotations

from dataclasses import dataclass

from index.text import fold

# How a verb may introduce a statement.
SAY = "say"                # a que/that clause, a quote, a colon before a quote, a speaker after a quote
QUOTE_ONLY = "quote"       # only right next to a quote ("elogió los «…»", "«…», continuó Bauer")
CHARACTERIZE = "charact"   # "calificó de ridícula la idea", "describió X como Y" (also next to a quote)

# Verbs whose pronoun or elided subject is the person who was asked, not the one asking.
RESPONSE_LEMMAS = frozenset({"responder", "contestar", "replicar", "answer", "reply", "respond"})

_ES_SAY = """
decir afirmar declarar asegurar advertir añadir agregar explicar sostener manifestar reiterar
anunciar argumentar responder contestar replicar aclarar comentar precisar puntualizar admitir
reconocer negar confirmar denunciar revelar informar prometer concluir recalcar remarcar subrayar
enfatizar destacar insistir indicar apuntar opinar alertar avisar sugerir proponer pedir exigir
reclamar lamentar confesar señalar expresar recordar garantizar matizar sentenciar zanjar
apostillar vaticinar pronosticar predecir comunicar relatar detallar escribir tuitear asegurar
agradecer admitir repetir defender proclamar analizar prever mencionar considerar estimar valorar
aseverar ratificar resaltar incidir alegar justificar reprochar desvelar anticipar augurar explicitar
plantear esgrimir espetar exclamar reivindicar constatar corroborar remachar apuntillar trasladar
transmitir asumir lamentar sentenciar avanzar calcular cifrar contar concretar especificar mantener
razonar arguir observar narrar desmentir refutar rebatir descartar adelantar notificar solicitar
demandar rogar recomendar aconsejar exhortar instar urgir deplorar temer dudar creer entender celebrar
cuestionar aplaudir exponer
""".split()
_ES_QUOTE_ONLY = """
elogiar criticar confiar continuar proseguir tildar resumir definir calificar describir
quejarse referirse hablar bromear ironizar rechazar acotar finalizar rematar completar ahondar abundar
inquirir
""".split()
_ES_CHARACTERIZE = {"calificar", "describir", "definir", "tildar"}

# Third-person forms that do not follow the regular pattern (folded, accents stripped).
_ES_IRREGULAR = {
    "decir": "dijo dijeron dice dicen decia decian dicho diciendo dijera dijeran",
    "advertir": "advirtio advirtieron advierte advierten advertia advertian advertido advirtiendo advirtiera advirtieran",
    "pedir": "pidio pidieron pide piden pedia pedian pedido pidiendo pidiera pidieran",
    "sostener": "sostuvo sostuvieron sostiene sostienen sostenia sostenian sostenido sosteniendo sostuviera sostuvieran",
    "proponer": "propuso propusieron propone proponen proponia propuesto proponiendo propusiera propusieran",
    "negar": "nego negaron niega niegan negaba negaban negado negando",
    "manifestar": "manifesto manifestaron manifiesta manifiestan manifestaba manifestado manifestando",
    "confesar": "confeso confesaron confiesa confiesan confesaba confesado confesando",
    "recordar": "recordo recordaron recuerda recuerdan recordaba recordado recordando",
    "sugerir": "sugirio sugirieron sugiere sugieren sugeria sugerido sugiriendo sugiriera sugirieran",
    "describir": "describio describieron describe describen describia descrito describiendo",
    "escribir": "escribio escribieron escribe escriben escribia escrito escribiendo",
    "concluir": "concluyo concluyeron concluye concluyen concluia concluido concluyendo concluyera concluyeran",
    "repetir": "repitio repitieron repite repiten repetia repetido repitiendo repitiera repitieran",
    "predecir": "predijo predijeron predice predicen predecia predicho prediciendo predijera predijeran",
    "proseguir": "prosiguio prosiguieron prosigue prosiguen proseguia proseguido prosiguiendo",
    "referirse": "refirio refirieron refiere refieren referia referido refiriendo",
    "defender": "defendio defendieron defiende defienden defendia defendido defendiendo",
    "reconocer": "reconocio reconocieron reconoce reconocen reconocia reconocido reconociendo",
    "agradecer": "agradecio agradecieron agradece agradecen agradecia agradecido agradeciendo",
    "prever": "previo previeron preve preven preveia preveian previsto previendo",
    "avanzar": "avanzo avanzaron avanzado",
    "asumir": "asumio asumieron asume asumen asumido",
    "contar": "conto contaron contaba contaban contado contando",  # not 'cuenta': a noun too
    "mantener": "mantuvo mantuvieron mantiene mantienen mantenia mantenido manteniendo mantuviera mantuvieran",
    "desmentir": "desmintio desmintieron desmiente desmienten desmentia desmentido desmintiendo desmintiera desmintieran",
    "arguir": "arguyo arguyeron arguye arguyen argüia arguido arguyendo arguyera arguyeran",
    "rogar": "rogo rogaron ruega ruegan rogaba rogado rogando",
    "recomendar": "recomendo recomendaron recomienda recomiendan recomendaba recomendado recomendando",
    "entender": "entendio entendieron entiende entienden entendia entendido entendiendo",
    "creer": "creyo creyeron cree creen creia creian creido creyendo",
    "exponer": "expuso expusieron expone exponen exponia expuesto exponiendo",
    "rebatir": "rebatio rebatieron rebatido rebatiendo",  # not 'rebate', 'rebaten': a sale, a noun
}
# Present forms that are also common nouns or adjectives; the preterite stays a cue, and the present is
# one only right before 'que' ('CCOO denuncia que…', a headline's usual shape; 'la denuncia que…' is a noun).
_ES_NOUN_CLASH = {"anuncia", "critica", "relata", "comenta", "informa", "lamenta", "reclama",
                  "pronostica", "denuncia", "elogia", "define", "resume", "detalla", "continua",
                  "confia", "celebra", "recuerda", "precisa", "habla", "alerta", "aviso", "estima",
                  "concreta", "especifica", "duda", "demanda", "observa", "teme",
                  "concreto", "especifico"}  # folded preterites that are adjectives: 'un caso concreto que…'

_EN_SAY = """
say tell add state warn claim insist argue note explain announce declare stress emphasise
emphasize acknowledge admit deny confirm reply respond answer write tweet suggest propose urge
promise vow pledge predict assert reiterate repeat reveal concede recall complain caution
opine remark observe contend maintain allege assure boast counter retort quip joke recount testify
point comment mention estimate reckon forecast affirm clarify indicate report disclose underline
underscore highlight lament signal hint speculate demand reason agree conclude
""".split()
_EN_QUOTE_ONLY = "continue praise criticise criticize call describe dismiss hail label brand slam blast".split()
_EN_CHARACTERIZE = {"describe", "dismiss", "label", "brand"}
_EN_IRREGULAR = {
    "say": "said says saying",
    "tell": "told tells telling",
    "write": "wrote writes writing written",
    "deny": "denied denies denying",
    "reply": "replied replies replying",
    "urge": "urged urges urging",
    "note": "noted notes noting",
    "argue": "argued argues arguing",
    "promise": "promised promises promising",
    "state": "stated states stating",
    "declare": "declared declares declaring",
    "propose": "proposed proposes proposing",
    "concede": "conceded concedes conceding",
    "continue": "continued continues continuing",
    "praise": "praised praises praising",
    "criticise": "criticised criticises criticising",
    "criticize": "criticized criticizes criticizing",
    "describe": "described describes describing",
    "caution": "cautioned cautions cautioning",
    "emphasise": "emphasised emphasises emphasising",
    "emphasize": "emphasized emphasizes emphasizing",
    "acknowledge": "acknowledged acknowledges acknowledging",
    "vow": "vowed vows vowing",
    "pledge": "pledged pledges pledging",
    "reiterate": "reiterated reiterates reiterating",
    "repeat": "repeated repeats repeating",
    "complain": "complained complains complaining",
    "suggest": "suggested suggests suggesting",
    "stress": "stressed stresses stressing",
    "opine": "opined opines opining",
    "observe": "observed observes observing",
    "allege": "alleged alleges alleging",
    "assure": "assured assures assuring",
    "quip": "quipped quips quipping",
    "joke": "joked jokes joking",
    "dismiss": "dismissed dismisses dismissing",
    "label": "labelled labeled labels labelling",
    "slam": "slammed slams slamming",
    "point": "pointed",
    "estimate": "estimated estimates estimating",
    "forecast": "forecast forecasts forecasting",
    "reckon": "reckoned reckons reckoning",
    "clarify": "clarified clarifies clarifying",
    "indicate": "indicated indicates indicating",
    "brand": "branded brands branding",
    "hail": "hailed hails hailing",
    "testify": "testified testifies testifying",
    "report": "reported reporting",  # 'reports' and 'report' are mostly nouns ('news reports said')
    "admit": "admitted admits admitting",
}
# Base forms that are also nouns or common words; they stay cues only in their other forms.
_EN_NO_BASE = {"point", "comment", "state", "call", "label", "brand", "joke", "counter", "forecast", "estimate",
               "note", "answer", "reply", "tweet", "promise", "pledge", "vow", "claim", "repeat", "warn", "continue",
               "highlight", "lament", "signal", "hint", "demand", "reason"}

# Words that make "has/ha + participle" a compound tense.
ES_AUX = frozenset("ha han habia habian habria habrian hemos he".split())
EN_AUX = frozenset("has have had".split())


@dataclass(frozen=True)
class VerbForm:
    lemma: str
    kind: str      # SAY | QUOTE_ONLY | CHARACTERIZE
    form: str      # finite | participle | gerund | infinitive
    language: str
    needs_que: bool = False  # also a noun ('la denuncia'): a cue only as 'X denuncia que'


def _es_regular(lemma: str) -> dict[str, str]:
    stem, ending = lemma[:-2], lemma[-2:]
    # the imperfect subjunctive ('luego de que el ministro afirmara que…') reports speech as often as the preterite
    if ending == "ar":
        forms = {stem + "o": "finite", stem + "aron": "finite", stem + "a": "finite",
                 stem + "an": "finite", stem + "aba": "finite", stem + "aban": "finite",
                 stem + "ara": "finite", stem + "aran": "finite",
                 stem + "ado": "participle", stem + "ando": "gerund", lemma: "infinitive"}
    else:
        forms = {stem + "io": "finite", stem + "ieron": "finite", stem + "e": "finite",
                 stem + "en": "finite", stem + "ia": "finite", stem + "ian": "finite",
                 stem + "iera": "finite", stem + "ieran": "finite",
                 stem + "ido": "participle", stem + "iendo": "gerund", lemma: "infinitive"}
    return forms


def _irregular(words: str) -> dict[str, str]:
    out = {}
    for w in words.split():
        if w.endswith("ndo") or w.endswith("ing"):
            out[w] = "gerund"
        # participles; 'manifesto' (manifestó) is a preterite
        elif w.endswith(("ado", "ido", "cho", "isto", "uesto", "ito")) or w == "written":
            out[w] = "participle"
        else:
            out[w] = "finite"
    return out


def _build() -> dict[str, VerbForm]:
    table: dict[str, VerbForm] = {}
    for lemmas, kind in ((_ES_SAY, SAY), (_ES_QUOTE_ONLY, QUOTE_ONLY)):
        for lemma in lemmas:
            base = fold(lemma.removesuffix("se"))
            forms = _irregular(_ES_IRREGULAR[lemma]) if lemma in _ES_IRREGULAR else _es_regular(base)
            for f in [f for f in forms if f.endswith("ron")]:  # 'dijeron' -> 'dijera', 'reconocieron' -> 'reconociera'
                forms.setdefault(f[:-3] + "ra", "finite")
                forms.setdefault(f[:-3] + "ran", "finite")
            forms.setdefault(base, "infinitive")
            k = CHARACTERIZE if lemma in _ES_CHARACTERIZE else kind
            for f, tense in forms.items():
                clash = tense == "finite" and f in _ES_NOUN_CLASH
                if clash and (kind != SAY or not f.endswith("a")):
                    continue  # preterites like 'concreto' are adjectives; only a present can be a headline verb
                table.setdefault(f, VerbForm(lemma, k, tense, "es", needs_que=clash))
    for lemmas, kind in ((_EN_SAY, SAY), (_EN_QUOTE_ONLY, QUOTE_ONLY)):
        for lemma in lemmas:
            if lemma in _EN_IRREGULAR:
                forms = _irregular(_EN_IRREGULAR[lemma])
            else:
                stem = lemma[:-1] if lemma.endswith("e") else lemma
                forms = {stem + "ed": "finite", lemma + "s": "finite", stem + "ing": "gerund"}
            if lemma not in _EN_NO_BASE:
                forms.setdefault(lemma, "infinitive")
            k = CHARACTERIZE if lemma in _EN_CHARACTERIZE else kind
            for f, tense in forms.items():
                # English past forms double as participles ("has warned").
                table.setdefault(f, VerbForm(lemma, k, tense, "en"))
    return table


VERB_FORMS: dict[str, VerbForm] = _build()


def lookup(folded_word: str) -> VerbForm | None:
    """The speech verb a folded word form belongs to, or None ('dijo' -> decir, 'said' -> say)."""
    return VERB_FORMS.get(folded_word)
