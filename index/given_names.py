"""Common given names, Spanish and English: where a person's name starts inside one run of capitals.

Used only to split a run that joins an organisation or a place to a name with no comma between ('el
director del Hospital Maciel Aníbal Dutra', 'la fiscal de Flagrancia Andrea Vega'), never to decide that
a word is or is not a name: a name missing here is still found as before, only not split off.
"""
from __future__ import annotations

from index.text import fold

_NAMES = """
adolfo adrian adriana agustin agustina aida alba albert alberto alejandra alejandro alex alexis alfonso alfredo
alicia alma alvaro amanda amparo ana anabel andrea andres angel angela angeles anibal antonia antonio araceli
ariel armando arturo aurora beatriz belen benjamin bernardo blanca braulio bruno camila carla carlos carlota
carmen carolina catalina cecilia cesar claudia claudio clara concepcion consuelo cristian cristina cristobal
daniel daniela dario david diana diego dolores domingo dulce edgar eduardo elena eliana elias elisa elizabeth
elsa elvira emilia emilio emma enrique ernesto esperanza esteban estefania ester eugenia eugenio eva evelyn
fabian fabiola fatima federico felipe felix fernanda fernando fidel florencia francisca francisco gabriel
gabriela gerardo german gilberto gloria gonzalo graciela gregorio guadalupe guillermo gustavo hector helena
hernan hilda hugo ignacio ines irene isabel ismael ivan jaime javier jesus jimena joaquin jorge jose josefa
josefina juan juana julia julian julio karina laura leonardo leonor leticia lidia liliana lorena lorenzo lourdes
lucas lucia luciana luis luisa magdalena manuel manuela marcela marcelo marco marcos margarita maria mariana
mariano marina mario marta martha martin mateo matias mauricio maximiliano mercedes miguel milagros miriam
mirna monica natalia nelson nicolas noelia norma octavio olga oscar pablo paola patricia paula pedro pilar
rafael ramiro ramon raquel raul rebeca ricardo rigoberto roberto rocio rodolfo rodrigo rogelio rolando ruben
sandra santiago sara sebastian sergio silvia sofia sonia susana teresa tomas ulises valentina valeria vanesa
veronica vicente victor victoria virginia ximena yolanda
aaron adam alan albert alexander alice amy andrew angela anna anne anthony barbara ben benjamin beth betty
bill billy bob brandon brenda brian bruce carl carol catherine charles charlotte chris christina christine
christopher cynthia dan daniel david deborah dennis donald donna doris dorothy douglas edward eric frank gary
george grace gregory harold helen henry jack james jane janet jason jean jeff jeffrey jennifer jeremy jerry
jessica joan joe john jonathan joseph joshua joyce judith judy julie justin karen katherine kathleen keith
kelly kenneth kevin kimberly larry laura lisa louis margaret mark mary matthew megan melissa michael michelle
nancy nicholas nicole olivia pamela patrick paul peter rachel ralph raymond rebecca richard robert roger ronald
ruth ryan samuel sandra sarah scott sharon shirley stephanie stephen steven susan teresa thomas timothy tracy
tyler victoria walter wayne william
"""
GIVEN_NAMES = frozenset(fold(w) for w in _NAMES.split())


def is_given_name(word: str) -> bool:
    """'Aníbal', 'Andrea', 'Eric' -> True; 'Maciel', 'Flagrancia' -> False."""
    return fold(word) in GIVEN_NAMES
