"""Who a later statement belongs to when the article names its speaker differently (a role nobody is named
with, a nationality, a coordinated verb), and names joined to an organisation with no comma between."""
from __future__ import annotations

from index.people import same_name
from index.speakers import name_kind
from quote_helpers import said, speakers




def test_an_unnamed_role_after_a_quoted_person_is_that_person():
    text = ("El alcalde Jaime Rosa aseguró que el concejo volverá a los barrios.\n\n"
            "«Tenemos que reconciliarnos con la ciudad», señaló el mandatario de los vecinos.")
    assert speakers(text) == ["Jaime Rosa", "Jaime Rosa"]
    text = ("«El operativo tenía una orden del fiscal», aseguró el comisario Paz.\n\n"
            "Según el comandante de la Policía, la detención fue legal.")
    assert speakers(text) == ["Paz", "Paz"]
    text = ('"We have had many injuries this season," manager Tom León said.\n\n'
            '"It is just unfortunate," the coach added.')
    assert speakers(text) == ["Tom León", "Tom León"]


def test_a_role_that_clashes_with_the_person_just_quoted_stays_a_role():
    text = ("El concejal Luis Blanco aseguró que votará en contra.\n\n"
            "«No habrá subida de impuestos», añadió el alcalde.")
    assert said(text)[-1][:2] == ("alcalde", "role")
    text = ("La ministra Ana Martín afirmó que el plan sigue adelante.\n\n"
            "«No hay fecha», precisó el portavoz del Ministerio.")
    assert said(text)[-1][1] == "role"  # a spokesperson is someone else by nature
    text = ("La jueza Carmen Flores explicó que el juicio se aplaza.\n\n"
            "«Hay pruebas nuevas», añadió el fiscal.")
    assert said(text)[-1][:2] == ("fiscal", "role")  # 'el' does not fit a woman named Carmen
    text = ("Rosa Paz, the mayor, said the bridge would reopen.\n\n"
            '"It is a scandal," the officials said.')
    assert "Rosa Paz" not in speakers(text)[1:]  # a plural is never one person


def test_a_person_named_inside_a_relative_clause_does_not_take_the_next_elided_subject():
    text = ("Según el comisario Pedro Rubio, el joven pasó la noche en la comisaría a pedido de la fiscal Rosa "
            "Noguera, quien alegó que no tenía tiempo para tomarle declaración.\n\n"
            "«No me compete como comandante», acotó. Dijo desconocer por qué fue detenido el repartidor.")
    assert speakers(text) == ["Pedro Rubio", "Rosa Noguera", "Pedro Rubio", "Pedro Rubio"]


def test_a_nationality_after_a_quote_is_the_person_just_named():
    text = ("Rashford out for six weeks\n\nManchester United manager Ole Gunnar Solskjaer confirmed the injury.\n\n"
            '"We have had many injuries for big players this season. It is unfortunate," the Norwegian added.')
    assert said(text)[-1][:2] == ("Ole Gunnar Solskjaer", "person")
    text = ("El técnico Diego Martín habló tras el partido.\n\n"
            "«Hay que seguir trabajando. Esto recién comienza», aseguró el argentino.")
    assert said(text)[-1][:2] == ("Diego Martín", "person")


def test_coordinated_speech_verbs_keep_the_first_subject_and_split_the_statements():
    text = ("La fiscal de Flagrancia Andrea Vega confirmó que son cuatro los detenidos por el ataque en barrio "
            "Belgrano y aseguró que no descarta ninguna hipótesis.")
    assert said(text) == [
        ("Andrea Vega", "person", "son cuatro los detenidos por el ataque en barrio Belgrano"),
        ("Andrea Vega", "person", "no descarta ninguna hipótesis")]
    text = ("El director del Hospital Maciel Aníbal Dutra informó que hay ocho casos de Covid-19 en el brote, "
            "y manifestó que hay sesenta personas aisladas.")
    assert speakers(text) == ["Aníbal Dutra", "Aníbal Dutra"]


def test_a_name_joined_to_its_organisation_without_a_comma_is_split_at_the_given_name():
    text = "El secretario de Salud Rigoberto Zamudio Meneses anunció que la campaña empieza el lunes."
    assert speakers(text) == ["Rigoberto Zamudio Meneses"]
    text = "La directora del Hospital Central Ana María Paz explicó que la situación está controlada."
    assert speakers(text) == ["Ana María Paz"]
    # no given name with a surname after it: the run is left whole
    text = "El rector de la Universidad de Santa Rosa afirmó que no habrá clases."
    assert "Rosa" not in speakers(text)


def test_numbers_and_club_words_never_make_a_person():
    for name in ("Covid-19", "Apolo 11", "Artemis 2"):
        assert name_kind(name) != "person"
    for name in ("Manchester United", "Blackburn Rovers", "Athletic Club"):
        assert name_kind(name) == "organization"
    for name in ("Felipe VI", "Rosa Paz", "Juan Pablo II"):
        assert name_kind(name) == "person"


def test_closing_speech_verbs_after_a_quote():
    text = ("El entrenador Luis Rubio atendió a la prensa. «Vamos a averiguar qué pasó», acotó. "
            "«El grupo está unido y seguirá así», finalizó.")
    assert speakers(text) == ["Luis Rubio", "Luis Rubio"]
    text = "The report was published on Monday. The committee concluded that the plant was safe."
    assert said(text) == [("committee", "organization", "the plant was safe")]


def test_a_nationality_skips_a_person_of_another_origin():
    text = ("La final enfrentará a Lucía Bravo con la bielorrusa Arina Volkova, número dos del mundo. "
            "Preguntada por su rival, la española dijo que tendrá que jugar el partido perfecto.")
    assert "Arina Volkova" not in speakers(text)


def test_a_deputy_mayor_may_be_called_the_councillor():
    text = ("La teniente de alcalde de Urbanismo, Silvia Paz, precisó que la moratoria no afecta a las licencias. "
            "«Hay casi tantos pisos ilegales como legales», reconoció la edil.")
    assert speakers(text) == ["Silvia Paz", "Silvia Paz"]


def test_a_definite_group_speaks_as_a_source_unless_it_only_believes():
    text = "Los vecinos de barrio Belgrano aseguran que oyeron tiros toda la noche."
    assert said(text) == [("vecinos de barrio Belgrano", "source", "oyeron tiros toda la noche")]
    text = "Los diputados calificaron la reforma de 'histórica' sin más detalles."
    assert [(s, k) for s, k, _t in said(text)] == [("diputados", "source")]
    text = "The residents of Mill Street said they were scared."
    assert [(s, t) for s, _k, t in said(text)] == [("residents of Mill Street", "they were scared")]
    for text in ("Los líderes europeos creen que la guerra durará años.", "Muchos creen que la guerra durará años.",
                 "Los concejales de la oposición temen que el pleno se suspenda."):
        assert said(text) == []


def test_a_street_or_a_neighbourhood_is_a_place_and_a_programme_name_is_no_second_verb():
    text = "La policía patrulla la calle Rosales. Los agentes del barrio Paz dijeron que no hubo heridos."
    assert "Rosales" not in speakers(text) and "Paz" not in speakers(text)
    text = "El director del Hospital Maciel Aníbal Dutra informó en Subrayado que ya son ocho los casos."
    assert said(text) == [("Aníbal Dutra", "person", "ya son ocho los casos")]


def test_english_role_words_before_a_name_and_a_long_apposition_before_said():
    text = ("Striker Tom Rosa could be out for six weeks with a stress fracture, according to manager Luis Paz. "
            "The bridge will close in May, according to council leader Ana Flores.")
    assert said(text) == [
        ("Luis Paz", "person", "Striker Tom Rosa could be out for six weeks with a stress fracture"),
        ("Ana Flores", "person", "The bridge will close in May")]
    text = ('"We now have convincing science," John Rubio, astronaut and associate administrator of the '
            "agency's science directorate in Washington, said in a news release.")
    assert speakers(text) == ["John Rubio"]


def test_a_thing_someone_owns_is_no_speaker_and_a_nationality_carries_across_quotes():
    text = ("Lujendra Ojha led the study.\n\nWith its Curiosity Rover, NASA had found traces of ancient water.\n\n"
            '"Most people talk about frozen water," he said.')
    assert speakers(text) == ["Lujendra Ojha"]
    text = ('"Normally six weeks to heal, but I am not a doctor," said manager Ole Gunnar Solskjaer.\n\n'
            '"It is a stress fracture. It happened against Wolves. He will be out for a while."\n\n'
            'He added: "We will give him enough time to heal."\n\n'
            'When asked about a replacement for the 22-year-old, the Norwegian added: "We have had many injuries."')
    assert speakers(text)[-1] == "Ole Gunnar Solskjaer"


def test_a_role_nobody_else_holds_is_the_person_who_opens_the_title():
    text = "Rosa Paz: «No habrá cortes de agua»\n\nLa alcaldesa de la ciudad aseguró ayer que el suministro está garantizado."
    assert speakers(text) == ["Rosa Paz", "Rosa Paz"]
    # the article's gender does not fit, or an indefinite role is someone new
    text = "Rosa Paz: «No habrá cortes de agua»\n\nEl director de la empresa aseguró que el suministro está garantizado."
    assert speakers(text)[-1] != "Rosa Paz"
    text = "Rosa Paz: «No habrá cortes de agua»\n\nUna portavoz de la empresa aseguró que el suministro está garantizado."
    assert speakers(text)[-1] != "Rosa Paz"


def test_a_name_inside_a_fronted_phrase_is_not_the_subject():
    text = ("La vocera Ana Rubio dio su conferencia semanal.\n\n"
            "Al ser consultada por el periodista Juan Pablo Peralta, respondió que los precios bajarán.")
    assert speakers(text) == ["Ana Rubio"]
    text = "After meeting Governor Tom Flores, the mayor said the plan was dead."
    assert "Tom Flores" not in speakers(text)


def test_a_title_speaker_the_body_names_only_by_a_role():
    text = ("Paz: los tres puntos, importantes\n\n"
            "Ganar es importante por estos días para el equipo, y así también lo indica el estratego tras el partido.\n\n"
            "«Estoy contento con el triunfo, pero tenemos que seguir trabajando», dijo en conferencia de prensa.")
    assert said(text) == [
        ("Paz", "person", "los tres puntos, importantes"),
        ("Paz", "person", "Ganar es importante por estos días para el equipo"),
        ("Paz", "person", "«Estoy contento con el triunfo, pero tenemos que seguir trabajando»")]
    # a section label, or a title word with no role in the body to stand for it, speaks nothing
    for title in ("Economía: los precios suben otra vez", "Luna: la misión despega el martes"):
        text = f"{title}\n\nLa agencia confirmó el calendario sin cambios, y así lo indica el informe mensual."
        assert [q for q in said(text) if q[1] == "person"] == []


def test_english_organisations_named_by_common_nouns_after_the_statement():
    text = ("Three brothers are in custody after an officer was killed, authorities said Monday. "
            "The man was taken into custody shortly before noon, township police said. "
            "But police say Tom Rosa tried to flee. Mercer County officials said the road was closed.")
    assert speakers(text) == ["authorities", "township police", "police", "Mercer County officials"]


def test_according_to_a_document_gives_its_issuer():
    text = ("T\n\nThe man refused to drop the sword, according to a news release from the Raritan Township Police "
            "Department.\n\nHe ran towards an officer, according to the news release.\n\n"
            "The bridge was closed, according to a statement from the city council.")
    assert speakers(text) == ["Raritan Township Police Department", "Raritan Township Police Department",
                              "city council"]


def test_dar_a_conocer_and_a_parenthesised_acronym_before_the_name():
    text = ("Este lunes inicia la campaña de vacunación, así lo dio a conocer el titular de la Secretaría de Salud "
            "(SESA), Rigoberto Zamudio Meneses.")
    assert said(text) == [("Rigoberto Zamudio Meneses", "person", "Este lunes inicia la campaña de vacunación")]
    text = "La empresa Cárnicas Blanco ha dado a conocer que cerrará la planta de León en mayo."
    assert [(s, t) for s, _k, t in said(text)] == [("Cárnicas Blanco", "cerrará la planta de León en mayo")]


def test_a_quote_right_after_a_reported_statement_goes_on_with_it():
    text = ("El secretario Luis Flores recordó que la cobertura llega al 93 por ciento. «Estamos terminando de "
            "aplicar las dosis extras en los municipios del norte».")
    assert speakers(text) == ["Luis Flores", "Luis Flores"]


def test_spanish_stray_comma_plural_authorities_and_a_quote_before_y_agrego():
    text = "El ministro Pedro Paz habló ayer con la prensa. Dijo además, que necesitan el apoyo de todos."
    assert said(text)[-1] == ("Pedro Paz", "person", "necesitan el apoyo de todos")
    text = "Son siete los contagiados; autoridades confirmaron que siguen los contactos de los casos nuevos."
    assert said(text) == [("autoridades", "organization", "siguen los contactos de los casos nuevos")]
    text = ("El director Aníbal Rosa informó que hay ocho casos.\n\n"
            "\"Estamos tomando mayores medidas\" y agregó que el virus circula dentro del hospital, aseguró Aníbal.")
    assert speakers(text) == ["Aníbal Rosa"] * 3  # the given name alone is the one person who has it
    text = ('La escritora citó a Carmen Martín Gaite y "Entre visillos", y dijo que todavía relee esa novela.')
    assert [t for _s, _k, t in said(text)] == ["todavía relee esa novela"]  # a title inside a sentence


def test_insisting_adjectives_and_a_lower_case_nationality():
    text = "El alcalde Jaime Rosa también fue enfático en que no se hablará de negocios en su gestión."
    assert said(text) == [("Jaime Rosa", "person", "no se hablará de negocios en su gestión")]
    text = "Mayor Ann Paz spoke on Monday. She was adamant that the bridge would reopen in May."
    assert said(text) == [("Ann Paz", "person", "the bridge would reopen in May")]
    text = ("\"Hay mucha concentración en el festival\", dijo Ana Katz en una entrevista. "
            "La argentina afirmó que el festival de Lima es especialmente generoso.")
    assert speakers(text) == ["Ana Katz", "Ana Katz"]


def test_a_definite_source_noun_after_a_quoted_person_is_that_person_but_a_source_stays_anonymous():
    text = ("Francisco Rubio, titular del Ministerio de Salud, informó que se registra un nuevo caso.\n\n"
            "«Informamos a la población de un nuevo caso», destacó el funcionario.")
    assert speakers(text) == ["Francisco Rubio", "Francisco Rubio"]
    text = ("Francisco Rubio, titular del Ministerio de Salud, informó que se registra un nuevo caso.\n\n"
            "«Hubo otro caso el lunes», aseguró la fuente.")
    assert said(text)[-1][0] != "Francisco Rubio"


def test_english_role_heads_after_an_organisation_word_and_firms_with_an_adjective():
    text = ("Police Chief Dan Paz said the driver acted alone.\n\n"
            "Two of the victims are children, according to the police chief.")
    assert speakers(text) == ["Dan Paz", "Dan Paz"]
    text = ("El secretario gremial Román Rosa acusó a los dueños de la firma sanlorencina Guerrero Motos.\n\n"
            "«Encerraron a siete trabajadores en un cuarto», señaló.")
    assert speakers(text)[-1] == "Román Rosa"


def test_a_title_that_puts_its_speaker_after_a_colon_or_after_segun():
    text = ("«Guerrero ya tiene presupuesto para 2019»: Gobernador Rosales\n\n"
            "El gobernador Héctor Rosales expresó su reconocimiento a los diputados.")
    speaker, kind, words = said(text)[0]
    assert same_name(speaker, "Héctor Rosales") and kind == "person" and words == "«Guerrero ya tiene presupuesto para 2019»"
    text = ("¿Se eliminará el salario mínimo?: la idea fue sacada de contexto, según ministra\n\n"
            "Mónica Paz, ministra de Trabajo, dijo que tocar el salario mínimo no forma parte de la agenda.")
    assert speakers(text) == ["Mónica Paz", "Mónica Paz"]
    # the name after the colon must be someone the body names
    text = "Crónica de una tarde de lluvia: Plaza Mayor\n\nLos vecinos de la plaza aseguran que nunca llovió tanto."
    assert all(s != "Plaza Mayor" for s in speakers(text))


def test_a_palace_is_no_person():
    text = ("Al llegar a Palacio Nacional a la reunión semanal, el secretario Jorge Rubio señaló que el "
            "subsecretario se encuentra recuperándose.")
    assert speakers(text) == ["Jorge Rubio"]


def test_a_statement_nested_in_another_does_not_take_the_next_elided_subject():
    text = ("El responsable sindical Pedro Lucas ha agregado que la empresa argumenta que los despidos son por "
            "hechos objetivos.\n\nLucas ha pedido explicaciones a la empresa, al tiempo que ha avanzado que no "
            "descartan protestas.")
    assert speakers(text) == ["Pedro Lucas", "Pedro Lucas"]


def test_the_imperfect_subjunctive_reports_speech():
    text = ("La Oficina del Presidente criticó al Gobierno luego de que el ministro de Transporte, Óscar Puente, "
            "dijera en una conferencia que recordaba a Milei en televisión.")
    assert said(text) == [("Óscar Puente", "person", "recordaba a Milei en televisión")]
    text = "La polémica estalló después de que la alcaldesa Rosa León reconociera que el contrato era irregular."
    assert said(text) == [("Rosa León", "person", "el contrato era irregular")]


def test_a_gerund_with_words_after_it_does_not_take_the_quote_before_it():
    text = ('Mayor Shawn Paz sharply denounced the "senseless tragedy," saying the parade had become a nightmare.\n\n'
            '"Last night lives were lost," she said.')
    assert "senseless tragedy" not in " ".join(t for _s, _k, t in said(text))
    assert speakers(text)[-1] == "Shawn Paz"


def test_a_role_resolves_to_the_person_named_with_it_later_and_san_names_are_places():
    text = ("«No hay más producto para hacer», dijo el delegado del Sindicato de la Alimentación.\n\n"
            "Ayer, el delegado congresal del Sindicato de la Alimentación en San Luis, Marcelo Gerardo, se refirió "
            "al conflicto laboral.")
    assert speakers(text) == ["Marcelo Gerardo"]
    for place in ("San Luis", "Santa Cruz de Tenerife", "Saint Louis"):
        assert name_kind(place) == "place"
    for person in ("Alberto San Juan", "Rosa Santos"):
        assert name_kind(person) == "person"


def test_the_release_named_again_keeps_the_issuer_given_at_its_first_mention():
    text = ("T\n\nThe man broke two windows, according to a news release from the Rosewood Township Police Department.\n\n"
            "Other officers, including the Mercer County SWAT team, were called in. Talks with the man went on while "
            "he walked along the river, according to the news release.")
    assert speakers(text) == ["Rosewood Township Police Department"] * 2
