"""Who is speaking: names, roles, places and sources in an article, and resolving a subject to one of them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.text import fold

# Determiners that open a role phrase ("el presidente francés", "Su portavoz", "al portavoz de Putin").
DETERMINERS = frozenset("el la los las del al su sus the his her its".split())
INDEFINITE = frozenset("un una unos unas a an dos tres varias varios algunas algunos two three several some many".split())
PREPOSITIONS = frozenset(
    "a ante bajo con contra de del desde en entre hacia hasta para por segun sin sobre tras al "
    "in on at of from with by to into for about against".split())
PRONOUNS_PERSON = frozenset("el ella este esta ellos ellas he she they".split())
HONORIFICS = frozenset("sr sra srta dr dra mr mrs ms sir lord sen rep gov prof gen lt col sgt capt".split())
NAME_PARTICLES = frozenset("de del van von der da di bin al le".split())

# Role head words (folded) -> a class that treats news synonyms as one role.
_ROLE_CLASSES = {
    "head": "presidente presidenta mandatario mandataria lider jefe jefa president leader rey reina",
    "spokes": "portavoz vocero vocera spokesman spokeswoman spokesperson",
    "minister": "ministro ministra minister secretario secretaria secretary",
    "diplomat": "canciller diplomatico diplomatica diplomat",
    "military": "almirante general comandante coronel capitan teniente sargento mariscal admiral commander colonel captain",
    "mayor": "alcalde alcaldesa regidor regidora mayor",
    "governor": "gobernador gobernadora governor",
    "writer": "escritor escritora autor autora novelista poeta poetisa writer author novelist poet",
    "councillor": "concejal concejala councillor councilman councilwoman",
    "coach": "entrenador entrenadora tecnico seleccionador seleccionadora estratego timonel coach manager boss",
    "party": "socialista socialistas popular republicano republicana democrata conservador conservadora laborista "
             "republican republicans democrat democrats conservative conservatives tory tories",
    "academic": "profesor profesora catedratico catedratica investigador investigadora cientifico cientifica "
                "economista academico academica rector rectora decano decana vicedecano vicedecana "
                "professor researcher scientist economist academic dean",
    "press": "corresponsal periodista entrevistador entrevistadora reportero reportera correspondent "
             "journalist interviewer presentador presentadora",
    "other": "embajador embajadora enviado enviada negociador negociadora asesor asesora consejero "
             "consejera director directora senador senadora "
             "diputado diputada fiscal juez jueza analista experto experta candidato candidata premier "
             "vicepresidente vicepresidenta ambassador envoy adviser advisor senator "
             "chancellor chief head official speaker consejero "
             "delegado delegada abogado abogada capitan jugador jugadora delantero portero "
             "chairman chairwoman ceo founder executive lawyer attorney striker captain player "
             "sheriff prosecutor judge medico medica enfermero enfermera "
             "nurse doctor pastor agricultor agricultora ganadero ganadera vecino vecina profesor maestro maestra "
             "propietario propietaria dueño "
             "dueña owner especialista specialist arqueologo arqueologa "
             "dirigente sindicalista tecnica "
             "edil",  # a councillor in Spain, the mayor in much of Latin America
    "police": "trooper detective sergeant inspector constable officer commissioner superintendent",
    "public": "resident residents",
    "legislator": "mp mep congressman congresswoman lawmaker legislator assemblyman assemblywoman councilmember",
}
ROLE_HEADS: dict[str, str] = {w: cls for cls, ws in _ROLE_CLASSES.items() for w in ws.split()}
ROLE_MODIFIERS = frozenset("principal alto alta nuevo nueva antiguo antigua ex top senior former "
                           "primer primera propio propia actual".split())

# Nationality adjectives and country names (folded) -> one key per country.
_NATIONS = {
    "ua": "ucraniano ucraniana ucranianos ukrainian ucrania ukraine kiev kyiv",
    "ru": "ruso rusa rusos russian rusia russia moscu moscow kremlin",
    "fr": "frances francesa franceses french francia france paris eliseo",
    "gb": "britanico britanica britanicos british reino unido london londres uk",
    "us": "estadounidense estadounidenses norteamericano norteamericana american us eeuu washington",
    "de": "aleman alemana alemanes german alemania germany berlin",
    "nl": "holandes holandesa neerlandes neerlandesa dutch holanda paises bajos netherlands",
    "cn": "chino china chinos chinese pekin beijing",
    "it": "italiano italiana italian italia italy roma rome",
    "es": "español española spanish españa spain madrid",
    "pl": "polaco polaca polish polonia poland varsovia warsaw",
    "tr": "turco turca turkish turquia turkey ankara",
    "il": "israeli israel",
    "ir": "irani iranian iran teheran tehran",
    "by": "bielorruso bielorrusa belarusian bielorrusia belarus minsk",
    "eu": "europeo europea comunitario",
    "nato": "otan nato atlantico atlantica",
}
NATION_WORDS: dict[str, str] = {fold(w): key for key, ws in _NATIONS.items() for w in ws.split()}

PLACES = frozenset(fold(p) for p in """
Moscú Moscow Kiev Kyiv Kiev Ucrania Ukraine Rusia Russia Francia France París Paris Londres London
Berlín Berlin Washington Pekín Beijing China Bruselas Brussels Varsovia Warsaw Minsk Bielorrusia
Belarus Alemania Germany Italia Italy Roma Rome España Spain Madrid Polonia Poland Turquía Turkey
Ankara Israel Irán Iran Teherán Tehran Gaza Siria Syria Damasco Damascus Europa Europe Vladivostok
Alaska Crimea Donbás Donbas Járkov Kharkiv Odesa Odessa Jersón Kherson Tokio Tokyo Corea Korea
Japón Japan India Pakistán Pakistan Brasil Brazil México Mexico Venezuela Cuba Argentina Chile
Colombia Perú Peru Ginebra Geneva Estambul Istanbul Riad Riyadh Doha Qatar Catar Varsovia Helsinki
Finlandia Finland Suecia Sweden Noruega Norway Dinamarca Denmark Holanda Bélgica Belgium Hungría
Hungary Budapest Rumanía Romania Moldavia Moldova Georgia Armenia Azerbaiyán Lituania Letonia
Estonia Vilna Riga Tallin Zaporiyia Zaporizhzhia Bajmut Bakhmut Ottawa Canadá Canada Australia
Barcelona Valencia Sevilla Zaragoza Málaga Murcia Palma Bilbao Alicante Córdoba Valladolid Vigo Gijón
Granada Oviedo Santander Pamplona Toledo Salamanca Burgos León Cádiz Huelva Almería Jaén Badajoz
Cáceres Logroño Teruel Huesca Lleida Girona Tarragona Castellón Albacete Cuenca Guadalajara Segovia
Ávila Soria Zamora Palencia Lugo Ourense Pontevedra Coruña Navarra Galicia Asturias Cantabria
Andalucía Cataluña Catalunya Aragón Extremadura Canarias Baleares Euskadi Madrid Rioja Ceuta Melilla
Lisboa Lisbon Portugal Oporto Porto Bogotá Caracas Lima Quito Santiago Montevideo Asunción Paraguay
Uruguay Ecuador Bolivia Panamá Panama Guatemala Honduras Nicaragua Salvador Dominicana Miami
Chicago Boston Texas California Florida Ohio Missouri Nevada Arizona Georgia Virginia Carolina Alabama
Michigan Pennsylvania Oregon Colorado Utah Kansas Iowa Kentucky Tennessee Louisiana Mississippi
Arkansas Oklahoma Minnesota Wisconsin Indiana Illinois Maryland Massachusetts Connecticut Vermont
Maine Montana Wyoming Idaho Dakota Nebraska Hawaii Alaska Manhattan Brooklyn Hollywood Seattle
Atlanta Dallas Houston Denver Phoenix Detroit Filadelfia Philadelphia Manchester Liverpool Glasgow
Edimburgo Edinburgh Escocia Scotland Gales Wales Irlanda Ireland Dublín Dublin Ámsterdam Amsterdam
Viena Vienna Austria Suiza Switzerland Zúrich Zurich Praga Prague Atenas Athens Grecia Greece Múnich
Munich Fráncfort Frankfurt Hamburgo Hamburg Milán Milan Nápoles Naples Marsella Marseille Lyon
Egipto Egypt Cairo Marruecos Morocco Rabat Argelia Algeria Túnez Tunisia Libia Libya Sudán Sudan
Nigeria Kenia Kenya Etiopía Ethiopia Sudáfrica Líbano Lebanon Jordania Jordan Irak Iraq Bagdad
Afganistán Afghanistan Kabul Kazajistán Indonesia Filipinas Philippines Vietnam Tailandia Thailand
Singapur Singapore Malasia Taiwán Taiwan Seúl Seoul Shanghái Shanghai Bombay Mumbai Delhi
Sídney Sydney Melbourne Zelanda Zealand Bangladés Bangladesh Nepal Europa Asia África Africa América
America Latinoamérica Iberoamérica Occidente Gibraltar Mallorca Ibiza Tenerife Galápagos
""".split()) | frozenset(fold(p) for p in (
    "Estados Unidos", "United States", "Reino Unido", "United Kingdom", "Gran Bretaña",
    "Great Britain", "Unión Europea", "European Union", "Corea del Norte", "North Korea",
    "Corea del Sur", "South Korea", "Países Bajos", "Oriente Medio", "Middle East", "Casa Blanca",
    "Nueva York", "New York", "Los Ángeles", "Los Angeles", "San Francisco", "Buenos Aires",
    "Ciudad de México", "Mexico City", "Costa Rica", "Puerto Rico", "Arabia Saudí", "Saudi Arabia",
    "Nueva Zelanda", "New Zealand", "South Africa", "Hong Kong", "Castilla y León", "Castilla-La Mancha",
    "Comunidad de Madrid", "Comunidad Valenciana", "País Vasco", "Las Palmas", "San Sebastián",
    "Santa Cruz", "New Jersey", "New Mexico", "North Carolina", "South Carolina", "West Virginia",
    "Sierra Leona", "Sri Lanka", "El Salvador", "República Dominicana",
))
# Places that usually stand for a government when they speak ("Moscú advirtió").
ORGS = frozenset(fold(o) for o in (
    "OTAN NATO ONU UN UE EU Kremlin Pentágono Pentagon Reuters AFP EFE BBC CNN Bloomberg Gazprom "
    "Eliseo Downing Interfax TASS RIA Ria Moncloa Europol Interpol Frontex Eurostat Twitter Facebook "
    "Google Apple Amazon Microsoft Meta Tesla Iberdrola Telefónica Repsol Santander BBVA Inditex Endesa "
    "Renfe Aena Airbus Boeing Volkswagen Toyota Samsung Netflix OpenAI Vox Podemos Sumar Bildu Junts "
    "Hamás Hamas Hezbolá Hezbollah Barça Reuters Xinhua Eurogrupo Eurogroup".split()
)) | frozenset(fold(o) for o in (
    "Le Monde", "Casa Blanca", "White House", "New York Times", "The New York Times", "Washington Post",
    "The Guardian", "Financial Times", "El País", "El Mundo", "Wall Street Journal", "Associated Press",
    "Unión Europea", "European Union", "Naciones Unidas", "United Nations", "Der Spiegel",
    "Europa Press", "Banco Central Europeo", "Banco de España", "Fondo Monetario Internacional",
    "Partido Popular", "Real Madrid", "Atlético de Madrid", "Guardia Civil", "Policía Nacional",
    "Tribunal Supremo", "Tribunal Constitucional", "Audiencia Nacional", "Casa Real", "Cruz Roja",
    "Red Cross", "Supreme Court", "Wall Street", "Silicon Valley", "Premier League", "La Liga",
    "Champions League", "Sky News", "Fox News", "Al Jazeera", "El Confidencial", "La Vanguardia",
    "El Periódico", "Cadena SER", "RTVE", "Efe",
))
ORG_WORDS = frozenset(fold(w) for w in (
    "ministerio ministry gobierno government partido party comisión commission consejo council "
    "agencia agency ejército army fuerzas forces oficina office departamento department diario "
    "periódico newspaper cancillería tribunal court parlamento parliament congreso congress senado "
    "senate banco bank compañía company universidad university fundación foundation policía police "
    "guardia ayuntamiento junta generalitat xunta juzgado fiscalía audiencia sindicato asociación "
    "federación confederación club equipo empresa grupo instituto hospital colegio escuela museo "
    "consejería diputación cabildo comité cámara asamblea unión liga press news agency instituto "
    "institute council committee union league school museum team group corporation inc ltd corp "
    "fondo fund organización organization autoridad authority servicio service armada navy board "
    "assembly cortes observatorio laboratorio centro center centre red network airlines "
    "telecom holdings bolsa ministerio consulado embajada embassy secretaría agencia "
    "fc cf sa sl plc llc gmbh association federation coalición coalition alianza alliance frente front "
    "plataforma movimiento movement organismo entidad institución institution firm firma "
    "aseguradora cadena chain retailer operadora editorial ediciones consorcio mancomunidad".split())) | frozenset(
    # English company and group names end in a plural trade or membership noun: 'Brightwell Foods', 'Fish Producers'
    "foods motors industries partners holdings brands systems technologies pharmaceuticals airways logistics "
    "trust project producers farmers growers builders manufacturers employers township county borough palace "
    "palacio "
    # words that end club names: 'Manchester United', 'Blackburn Rovers', 'Wolverhampton Wanderers'
    "united rovers wanderers athletic albion hotspur".split())
SOURCE_HEADS = frozenset(fold(w) for w in (
    "fuente fuentes funcionario funcionarios funcionaria responsable responsables oficial oficiales "
    "diplomático diplomáticos portavoz source sources official officials aide aides diplomat diplomats "
    "insider insiders testigo testigos witness witnesses analysts analistas experts expertos critics "
    "criticos residents vecinos researchers investigadores scientists cientificos doctors medicos observers "
    "observadores investigators sources economists economistas agentes policias bomberos officers deputies "
    "detectives firefighters paramedics sanitarios".split()))

_CAP = re.compile(r"^[A-ZÁÉÍÓÚÜÑÀÈÌÒÙÂÊÎÔÛÄËÏÖÇ]")


def is_capitalized(word: str) -> bool:
    return bool(_CAP.match(word))


def nation_of(text: str) -> str | None:
    """The country key named or implied by a role phrase ('presidente francés' -> 'fr')."""
    toks = re.findall(r"\w+", fold(text))
    for a, b in zip(toks, toks[1:]):
        if f"{a} {b}" in NATION_WORDS:
            return NATION_WORDS[f"{a} {b}"]
    for t in toks:
        if t in NATION_WORDS and NATION_WORDS[t] not in ("eu", "nato"):
            return NATION_WORDS[t]
    return None


def role_class(text: str) -> str | None:
    """The role class of a role phrase: 'head', 'spokes', 'minister', 'diplomat', …, or None."""
    f = fold(text)
    if re.search(r"exteriores|foreign minister|top diplomat|diplomac|canciller", f):
        return "diplomat"
    if re.search(r"primer[ao]? ministr|prime minister|premier", f):
        return "pm"
    if re.search(r"teniente de alcalde|deputy mayor", f):
        return "councillor"
    for t in re.findall(r"\w+", f):
        if t in ROLE_HEADS:
            return ROLE_HEADS[t]
    return None


# Capitalised words that are never a name by themselves (English months and days, capitalised titles).
_NEVER_A_NAME = frozenset(fold(w) for w in (
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Christmas Easter Navidad Semana Santa Mr Mrs Ms Dr Sr Sra "
    "I We You They He She It The This That These Those A An Our".split()))
# Trailing words that make a capitalised run a company or a club: 'Grupo Prisa', 'Acme Inc', 'Sevilla FC'.
# First words of titled things that are not speakers: 'Informe de Política Monetaria', 'Ley de Vivienda'.
_WORK_WORDS = frozenset(fold(w) for w in (
    "informe report plan ley law decreto decree programa programme program proyecto project estrategia "
    "strategy reglamento acuerdo agreement tratado treaty premio prize award festival copa cup campeonato "
    "championship torneo tournament operación operation".split()))
_ORG_SUFFIXES = frozenset("sa sl inc ltd plc llc corp co gmbh ag fc cf cd ud sad group press news".split())
# A run opening with an article is a newspaper, a party or a club ('El País', 'The Times', 'La Liga'),
# except the particles of a surname ('De la Torre').
_ARTICLES = frozenset("el la los las the le der die".split())
# Spanish ministries and governments named by their portfolio alone ('Industria convocó', 'según
# Sanidad', 'el Ejecutivo'): one of these words as a whole name is an organisation.
_PORTFOLIOS = frozenset(fold(w) for w in (
    "Ejecutivo Industria Sanidad Hacienda Interior Exteriores Trabajo Educación Defensa Economía Igualdad "
    "Vivienda Transportes Agricultura Consumo Fomento Hacienda Salud Seguridad Migraciones Universidades".split()))
# First words of club names: 'Real Valladolid', 'Atlético Baleares', 'Deportivo Alavés'.
_CLUB_OPENERS = frozenset(fold(w) for w in "Real Atlético Deportivo Sporting Racing Club Unión".split())


# A run of capitals this long with a linking word in it is a heading, not an organisation's acronym.
_HEADING_WORDS = 3
_HEADING_LINKS = frozenset("de del la las el los tras y en con sin para por a al que the of and for in on to with".split())


def _is_heading(name: str) -> bool:
    """'EXPLICACIÓN DEL GOBIERNO TRAS LA ADVERTENCIA': a run of capitals with a linking word is a heading."""
    words = name.split()
    return len(words) >= _HEADING_WORDS and name.isupper() and any(fold(w) in _HEADING_LINKS for w in words)


def name_kind(name: str, language: str = "es") -> str:
    """'place', 'organization', 'person' or 'other' for a capitalised name as written.

    Persons are whatever is left once organisations and places are recognised: by a list of
    well-known ones, by an organisation word anywhere in the name ('Universidad de Ohio', 'Policía
    Nacional'), by all capitals ('BCE', 'PSOE'). Ordinary words are not evidence against a person
    ('Pedro Sánchez', 'Rosa Paz', 'Marco Rubio'). `language` is kept for callers; the rule is shared.
    """
    folded = fold(name)
    if _is_heading(name):
        return "other"
    if folded in ORGS and (len(name) > 3 or name.isupper()):  # 'UN' is the United Nations, 'Un' is 'a'
        return "organization"
    if folded in PLACES or re.match(r"(san|santa|santo|sao|saint|st)\b\.? ?\w", folded) and len(name.split()) > 1:
        return "place"  # 'San Luis', 'Santa Cruz', 'Saint Louis' ('Alberto San Juan' opens with a given name)
    toks = re.findall(r"\w+", folded)
    if not toks:
        return "other"
    if any(c.isdigit() for c in name) and not name.replace("-", "").replace(" ", "").isupper():
        return "other"  # 'Covid-19', 'Apolo 11': no person's name holds a number
    if all(t in _NEVER_A_NAME or t in NATION_WORDS or t in ROLE_HEADS for t in toks) or toks[0] in _WORK_WORDS:
        return "other"
    if any(t in ORG_WORDS for t in toks) or toks[-1] in _ORG_SUFFIXES or "&" in name:
        return "organization"
    if len(toks) == 1 and toks[0] in _PORTFOLIOS:
        return "organization"
    words = name.split()
    if len(toks) >= 2 and (toks[0] in _CLUB_OPENERS or len(words[0]) >= 2 and words[0].isupper()):
        return "organization"  # 'Real Valladolid', 'CCOO Industria', 'UGT Andalucía'
    letters = name.replace("-", "").replace(".", "").replace(" ", "")
    if len(letters) >= 2 and letters.isupper():
        return "organization"
    if len(toks) >= 2 and toks[0] in _ARTICLES:
        return "organization"
    if len(toks) >= 2 and all(t in PLACES or t in ("de", "del", "y", "and", "of") for t in toks):
        return "place"
    return "person"


@dataclass
class Entity:
    """One speaker candidate inside an article."""

    name: str                       # canonical name as written (the fullest form seen)
    kind: str                       # person | organization | place | source | role
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    known_roles: list[str] = field(default_factory=list)   # from other articles

    def all_roles(self) -> list[str]:
        return self.roles + self.known_roles

    def nations(self) -> set[str]:
        return {n for r in self.all_roles() if (n := nation_of(r))}

    def classes(self) -> set[str]:
        out = set()
        for r in self.all_roles():
            c = role_class(r)
            if c:
                out.add(c)
            if c == "diplomat":
                out.add("minister")
        return out
