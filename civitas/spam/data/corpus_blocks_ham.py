# ruff: noqa: E501 (sentences of prose read better unbroken)
"""Hand-written building blocks of legitimate profiles and comments (French and English), CC0.

Written by the Civitas team for ``write_corpus.py``. Unlike the short blocks of ``write_ham.py``,
these make texts of every length, up to several paragraphs: an association describing its work,
an elected official, a civil servant, a student, a retired or a neighbourhood resident, and
comments arguing at length about consultations, budgets, prisons, transport, schools, housing…

Slots in braces are filled by ``write_corpus.py`` from ``SLOTS``.
"""

SLOTS = {
    "quartier": [
        "la Croix-Rousse",
        "Bellevue",
        "Saint-Michel",
        "la Guillotière",
        "Vaise",
        "Monplaisir",
        "la Duchère",
        "Bourg-Neuf",
        "Les Minguettes",
        "Saint-Cyprien",
        "la Madeleine",
        "Les Chartreux",
    ],
    "annee": ["1987", "1994", "2003", "2009", "2012", "2016", "2019", "2021"],
    "nombre": ["12", "35", "60", "150", "240", "400", "1 200"],
    "montant": [
        "15 000 €",
        "48 000 €",
        "120 000 €",
        "1,2 million d'euros",
        "350 000 €",
        "2,5 millions d'euros",
    ],
    "district": ["Riverside", "the old town", "Northfield", "the station district", "Hillcrest", "Eastgate"],
    "year": ["1991", "2005", "2011", "2015", "2018", "2022"],
    "amount": ["£20,000", "€45,000", "€1.5 million", "€300,000", "€80,000"],
}

# --- profiles: who (one opening per kind of person) -------------------------------------------

FR_OPENINGS = {
    "association": [
        "Depuis {annee}, nos bénévoles soutiennent les familles de détenus et préparent les sorties de prison avec eux",
        "L'association des habitants de {quartier} existe depuis {annee} et compte {nombre} adhérents",
        "Nous sommes un collectif de parents d'élèves des écoles publiques de {quartier}",
        "Association loi 1901 de défense des usagers des transports en commun",
        "Le comité de quartier de {quartier} réunit des habitants bénévoles de tous âges",
        "Nous animons une épicerie solidaire qui accueille {nombre} familles chaque semaine",
        "Association sportive de quartier : football, basket et gymnastique pour les enfants dès six ans",
        "Notre amicale de locataires représente les habitants des résidences de {quartier} auprès du bailleur",
        "Collectif citoyen pour le climat, né en {annee} après la marche pour le climat",
        "L'association d'aide aux devoirs de {quartier} accueille des collégiens tous les soirs de la semaine",
        "Nous sommes une association de visiteurs de prison et de soutien à la réinsertion",
        "Association de sauvegarde du patrimoine de {quartier}",
        "Notre centre social est géré par une association d'habitants depuis {annee}",
        "Association de cyclistes urbains, membre de la fédération nationale des usagers du vélo",
        "Le jardin partagé de {quartier} est porté par une association de {nombre} membres",
        "Nous représentons les commerçants et artisans du centre-ville",
    ],
    "elected": [
        "Conseillère municipale déléguée à la jeunesse et à la vie associative",
        "Adjoint au maire chargé des mobilités et de l'espace public",
        "Élue d'opposition au conseil municipal depuis {annee}",
        "Conseiller départemental du canton, ancien maire adjoint",
        "Maire déléguée de la commune associée",
        "Adjointe chargée de la démocratie participative et des conseils de quartier",
        "Conseiller municipal délégué au budget participatif",
        "Élu de quartier pour {quartier}, je tiens une permanence le samedi matin",
    ],
    "student": [
        "Étudiante en deuxième année de sciences politiques",
        "Étudiant en master d'aménagement du territoire, en stage à la métropole",
        "Lycéen élu au conseil municipal des jeunes",
        "Doctorante en droit public, je travaille sur la participation citoyenne",
        "Étudiant infirmier en alternance à l'hôpital",
        "Étudiante en BTS et serveuse le week-end",
        "Étudiant en architecture, passionné par l'espace public",
        "Apprentie boulangère et militante associative",
    ],
    "retired": [
        "Retraitée de l'enseignement, j'habite {quartier} depuis {annee}",
        "Retraité de la SNCF, bénévole dans plusieurs associations",
        "Ancienne infirmière à la retraite, grand-mère de cinq petits-enfants",
        "Retraité, ancien artisan plombier du quartier",
        "Jeune retraitée de la fonction publique territoriale",
        "Retraité de l'industrie chimique, je me suis installé à {quartier} en {annee}",
        "Ancien directeur d'école, retraité depuis {annee}",
        "Retraitée, ancienne secrétaire de mairie",
    ],
    "resident": [
        "J'habite le quartier {quartier} depuis {annee}",
        "Habitante de {quartier}, maman solo de deux ados",
        "Locataire d'un logement social à {quartier}",
        "Propriétaire d'un petit appartement en centre-ville, sans voiture",
        "Habitant de {quartier}, je travaille de nuit à l'entrepôt logistique",
        "Nous sommes arrivés à {quartier} en {annee} avec nos trois enfants",
        "Riveraine de la rocade, je subis le bruit jour et nuit",
        "Auxiliaire de vie, j'habite {quartier} et je me déplace en bus",
        "Habitant du hameau, à six kilomètres du centre",
        "Commerçante installée à {quartier} depuis {annee}",
    ],
    "civil_servant": [
        "Agente de la médiathèque municipale depuis {annee}",
        "Fonctionnaire territorial au service de l'urbanisme",
        "Professeur des écoles à {quartier}",
        "Travailleuse sociale au centre communal d'action sociale",
        "Surveillant pénitentiaire, habitant de la commune",
        "Agent d'entretien des espaces verts de la ville",
        "Infirmière scolaire dans trois collèges de la ville",
        "Conseillère pénitentiaire d'insertion et de probation",
    ],
}

EN_OPENINGS = {
    "association": [
        "Our residents' association has represented the tenants of {district} since {year}",
        "We are a volunteer group supporting prisoners' families and people leaving prison",
        "The parents' association of the three primary schools in {district}",
        "A community garden run by volunteers on the old railway land",
        "We are a cycling campaign group affiliated with the national cycling federation",
        "Our food bank has served families in {district} since {year}",
        "A youth football club with teams from under-8s to adults",
        "We are a heritage society working to protect the old market hall",
        "We are a small charity running a weekly lunch club for older people in {district}",
        "Our tenants' group meets in the community room at the foot of the tower block",
        "We are a residents' association of about {nombre} households around the park",
        "We run a free homework club for secondary school pupils in {district}",
    ],
    "elected": [
        "Local councillor for {district}, elected in {year}",
        "Deputy mayor in charge of transport and public space",
        "Opposition councillor and member of the budget committee",
        "Councillor responsible for participatory democracy",
    ],
    "student": [
        "Second-year politics student at the university",
        "Master's student in urban planning, interning at the city council",
        "Sixth-form student and member of the youth council",
        "PhD candidate in sociology researching citizen participation",
    ],
    "retired": [
        "Retired nurse who has lived in {district} since {year}",
        "Retired bus driver and volunteer at the community centre",
        "Retired teacher, grandmother of four",
        "Retired engineer who now has time to read the council's budget papers",
    ],
    "resident": [
        "I have lived in {district} since {year}",
        "Our family has lived on the same street in {district} for three generations",
        "I grew up in {district} and came back to raise my own children here",
        "Carer for my mother, who lives with us in {district}",
        "Single parent living in social housing in {district}",
        "Resident of {district}, I work night shifts at the hospital",
        "We moved to {district} in {year} with our two children",
        "Shop owner in {district} for more than ten years",
    ],
    "civil_servant": [
        "Librarian at the central library",
        "Social worker at the city's welfare office",
        "Primary school teacher in {district}",
        "Probation officer working with people leaving prison",
    ],
}

# --- profiles and comments: what people care about, long sentences by theme -------------------

FR_CIVIC = {
    "consultation": [
        "Les consultations devraient être affichées sur papier au pied de chaque immeuble, et pas "
        "uniquement sur internet, sinon les aînés restent à l'écart",
        "Lors de la dernière concertation sur le plan local d'urbanisme, beaucoup d'habitants n'ont pas compris "
        "comment leurs contributions avaient été prises en compte, et un compte rendu détaillé aurait aidé",
        "Je participe aux réunions publiques depuis plusieurs années et je constate que ce sont toujours les "
        "mêmes personnes qui prennent la parole, il faudrait aller chercher les jeunes et les familles",
        "La consultation sur le réaménagement de la place a réuni beaucoup de monde, mais le projet final "
        "ressemble peu à ce que les habitants avaient demandé",
        "Il serait utile de publier les résultats des consultations avec le nombre de participants et les "
        "arguments retenus ou écartés, pour que chacun voie que sa voix compte",
        "Les ateliers du samedi matin sont une bonne formule, à condition de proposer une garde d'enfants",
        "Une consultation ouverte seulement trois semaines en plein mois d'août ne permet pas une vraie "
        "participation des habitants",
        "Le tirage au sort du panel citoyen a permis d'entendre des personnes qui ne viennent jamais aux "
        "réunions, et leurs propositions étaient souvent les plus concrètes",
        "Nous demandons que les avis du conseil de quartier soient joints aux délibérations du conseil municipal",
        "La plateforme en ligne est pratique, mais il faut garder des permanences physiques en mairie annexe",
        "J'aimerais que les élus viennent présenter les projets dans les quartiers plutôt qu'à l'hôtel de ville",
        "Le questionnaire était trop long et certaines questions orientaient clairement les réponses",
    ],
    "budget": [
        "Le budget participatif de cette année s'élève à {montant}, soit moins de un pour cent du budget "
        "d'investissement de la commune, ce qui reste modeste",
        "Je lis chaque année le rapport d'orientation budgétaire et je trouve que la part consacrée à "
        "l'entretien des écoles baisse alors que les bâtiments vieillissent",
        "Les projets du budget participatif devraient être répartis entre les quartiers pour éviter que le "
        "centre-ville ne rafle tout",
        "Il faudrait expliquer plus clairement la différence entre budget de fonctionnement et budget "
        "d'investissement, beaucoup d'habitants confondent les deux",
        "Le coût de la rénovation du gymnase, estimé à {montant}, mériterait d'être détaillé poste par poste",
        "Je regrette que les projets lauréats de l'an dernier ne soient toujours pas réalisés",
        "La hausse de la taxe foncière doit s'accompagner d'une transparence totale sur l'usage des recettes",
        "Nous avons déposé un projet de jardin pédagogique chiffré à {montant} avec l'aide des services techniques",
        "Le vote du budget participatif devrait être ouvert dès seize ans, comme dans d'autres villes",
        "Les subventions aux associations ont baissé de dix pour cent alors que les besoins augmentent",
        "Un tableau de suivi public des projets votés, avec leur avancement et leur coût réel, serait très utile",
        "La dette de la commune reste raisonnable, ce qui laisse une marge pour investir dans les écoles",
    ],
    "prison": [
        "La maison d'arrêt est surpeuplée, avec un taux d'occupation qui dépasse souvent cent cinquante pour cent",
        "Nous demandons que les parloirs soient rénovés et qu'un abri soit installé pour les familles qui "
        "attendent dehors sous la pluie",
        "La réinsertion des personnes sortant de prison passe par le logement, la formation et un "
        "accompagnement dans les démarches administratives",
        "Les visiteurs de prison bénévoles font un travail discret mais essentiel pour rompre l'isolement",
        "Le projet de nouvel établissement pénitentiaire en bordure de la commune suscite beaucoup "
        "d'inquiétudes chez les riverains, qu'il faut entendre",
        "Les travaux d'intérêt général sont une alternative à l'incarcération que la ville pourrait "
        "davantage proposer dans ses services",
        "Une ligne de bus jusqu'au centre pénitentiaire permettrait aux familles sans voiture de venir aux parloirs",
        "La bibliothèque de la prison manque de livres récents et de bénévoles pour animer des ateliers",
        "Le contrôleur général des lieux de privation de liberté a publié un rapport sévère sur les "
        "conditions de détention dans notre département",
    ],
    "transport": [
        "La ligne de bus qui dessert {quartier} s'arrête à vingt heures, ce qui pénalise tous ceux qui "
        "travaillent en horaires décalés",
        "Une piste cyclable séparée de la circulation sur l'avenue principale rendrait le trajet vers le "
        "collège beaucoup plus sûr pour les enfants",
        "Le parking relais de la gare est plein dès sept heures du matin, il faudrait l'agrandir ou "
        "renforcer les bus de rabattement",
        "La gratuité des transports le samedi a montré qu'on pouvait faire revenir du monde dans le centre",
        "Les trottoirs encombrés de voitures empêchent les fauteuils roulants et les poussettes de passer",
        "Le passage du tramway dans le quartier doit s'accompagner d'arbres et de pistes cyclables",
        "La limitation à trente kilomètres heure dans toute la ville a réduit le bruit sans allonger "
        "beaucoup les trajets",
        "Les horaires des trains régionaux ne correspondent pas à ceux des bus, on attend parfois quarante minutes",
        "Un service de transport à la demande serait utile pour les hameaux éloignés du centre",
        "Le stationnement vélo sécurisé manque cruellement près des écoles et des commerces",
    ],
    "school": [
        "Les cours d'école en bitume deviennent des fournaises en juin, il faut les végétaliser rapidement",
        "La cantine scolaire pourrait proposer davantage de produits locaux et un menu végétarien quotidien",
        "Les effectifs de l'école élémentaire dépassent vingt-huit élèves par classe depuis deux ans",
        "Le périscolaire manque d'animateurs formés et les enfants passent trop de temps dans la cour",
        "La rue devant l'école devrait être fermée aux voitures aux heures d'entrée et de sortie",
        "Les travaux d'isolation du groupe scolaire sont repoussés d'année en année alors que les "
        "classes sont glaciales l'hiver",
        "Il faudrait un accompagnement pour les élèves en situation de handicap à la cantine et à la récréation",
        "Le collège du quartier a perdu ses classes bilangues et beaucoup de familles partent dans le privé",
    ],
    "housing": [
        "Les loyers ont tellement augmenté que les jeunes du quartier ne peuvent plus s'y loger",
        "Plusieurs immeubles de {quartier} souffrent d'humidité et de moisissures depuis des années",
        "La rénovation énergétique des logements sociaux doit se faire en concertation avec les locataires",
        "Les logements vacants au-dessus des commerces pourraient être remis sur le marché",
        "La résidence étudiante promise depuis {annee} n'a toujours pas vu le jour",
        "L'ascenseur de notre tour est en panne une semaine sur deux, et les personnes âgées restent bloquées",
    ],
    "environment": [
        "Nous plantons chaque hiver des haies avec les écoles pour recréer des corridors pour les oiseaux",
        "La qualité de l'air près de la rocade dépasse régulièrement les seuils recommandés",
        "Le tri des biodéchets devrait être proposé à tous les immeubles et pas seulement aux maisons",
        "Les berges de la rivière méritent d'être nettoyées et rendues accessibles aux promeneurs",
        "Les îlots de chaleur se multiplient en centre-ville et il manque des arbres et des fontaines",
        "Le projet de parking souterrain détruirait les platanes centenaires de la place",
    ],
    "social": [
        "Les permanences d'accès aux droits aident des dizaines de personnes chaque semaine à remplir "
        "leurs dossiers de logement ou d'allocations",
        "Beaucoup de personnes âgées vivent seules et n'ont personne pour les aider avec internet",
        "La maison de santé pluridisciplinaire a permis de retrouver des médecins dans le quartier",
        "Les associations manquent de salles pour se réunir le soir et le week-end",
        "La médiathèque devrait ouvrir le dimanche, c'est le seul jour où beaucoup de familles sont libres",
        "Le centre social propose des cours de français, de l'aide aux devoirs et des sorties familiales",
    ],
}

EN_CIVIC = {
    "consultation": [
        "Consultations should be announced earlier and on paper in every building, not only online, so that "
        "older residents can take part",
        "At the last public meeting on the local plan, most people did not understand how their comments "
        "would be used, and a written summary would have helped",
        "The citizens' panel drawn by lot brought in people who never come to meetings, and their "
        "proposals were often the most practical",
        "I would like the council to publish how many people took part in each consultation and which "
        "arguments were kept or set aside",
        "A consultation open for three weeks in the middle of August does not give residents a real chance to respond",
        "The online platform is convenient, but the drop-in sessions at the library should continue",
    ],
    "budget": [
        "The participatory budget this year is {amount}, a small share of the council's capital spending",
        "I read the budget papers every year and the money for school maintenance keeps going down while "
        "the buildings get older",
        "Projects from last year's participatory budget have still not been built, which discourages people "
        "from voting again",
        "A public tracker of the projects that won, with their progress and real cost, would build trust",
        "Grants to local charities were cut by ten per cent while demand for their services keeps rising",
        "The council should explain the difference between running costs and investment in plain words",
    ],
    "prison": [
        "The local prison is overcrowded and families wait outside in the rain before visits",
        "People leaving prison need housing, training and help with paperwork if we want them not to reoffend",
        "A bus route to the prison would let families without a car visit their relatives",
        "Volunteer prison visitors do quiet but essential work against isolation",
        "Community service placements in council departments are an alternative to short prison sentences",
    ],
    "transport": [
        "The bus to {district} stops running at eight in the evening, which leaves night workers stranded",
        "A protected cycle lane on the main road would make the journey to secondary school much safer",
        "Cars parked on the pavement block wheelchairs and pushchairs every day",
        "The station car park is full by seven in the morning and the feeder buses are too infrequent",
        "The 20 mph limit has made the streets quieter without making journeys much longer",
    ],
    "school": [
        "Tarmac playgrounds become unbearably hot in June and need trees and shade",
        "The school canteen could serve more local produce and a vegetarian option every day",
        "The street outside the primary school should be closed to cars at drop-off and pick-up times",
        "Insulation works at the school keep being postponed while classrooms are freezing in winter",
    ],
    "housing": [
        "Rents have risen so much that young people who grew up here can no longer afford to stay",
        "Several blocks in {district} have had damp and mould problems for years",
        "Empty flats above the shops on the high street could be brought back into use",
        "The lift in our tower block breaks down every other week and elderly residents are stuck at home",
    ],
    "environment": [
        "Every winter we plant hedges with the schools to give birds and insects a corridor through the town",
        "Air pollution near the ring road regularly exceeds the recommended limits",
        "Food waste collection should be offered to flats, not only to houses",
        "The riverside path deserves to be cleaned up and made accessible to everyone",
    ],
    "social": [
        "Our drop-in advice sessions help dozens of people each week with housing and benefits forms",
        "Many older residents live alone and have nobody to help them with online forms",
        "The community centre offers English classes, homework help and family outings",
        "Charities lack rooms to meet in the evenings and at weekends",
    ],
}

# --- profiles: practical details, some with links or a phone number as real profiles have ------

FR_PRACTICAL = [
    "Nos réunions ont lieu le premier mardi du mois à la maison de quartier, elles sont ouvertes à tous",
    "Permanence le mercredi de 14 h à 17 h au centre social, sans rendez-vous",
    "Vous pouvez nous joindre au 04 78 12 34 56 aux heures de permanence",
    "Notre site : https://www.habitants-{slug}.fr",
    "Les comptes rendus de nos assemblées générales sont publiés sur https://www.{slug}-asso.fr/comptes-rendus",
    "Adhésion à prix libre, personne n'est refusé faute de moyens",
    "Je tiens une permanence d'élue le samedi matin à la mairie annexe",
    "Pour me contacter : passez par la messagerie de la plateforme",
    "Nous publions une lettre d'information trimestrielle distribuée dans toutes les boîtes aux lettres",
    "Retrouvez nos actions sur https://www.helloasso.com/associations/{slug}",
    "Nous sommes soutenus par la ville, le département et la caisse d'allocations familiales",
    "Les bénévoles sont les bienvenus, même pour une heure par mois",
    "Disponible pour échanger surtout après dix-neuf heures",
    "Mon bureau à la mairie est ouvert le lundi de 9 h à 12 h, au 2e étage",
    "Nos statuts et nos comptes annuels sont consultables sur demande",
    "Rendez-vous sur https://www.{slug}.org pour le calendrier des sorties",
]

EN_PRACTICAL = [
    "Our meetings are held on the first Tuesday of each month at the community centre and are open to all",
    "Drop-in sessions on Wednesdays from 2 to 5 pm at the library",
    "You can reach our office on 01632 960 123 during opening hours",
    "Our website: https://www.{slug}-residents.org.uk",
    "Minutes of our meetings are published at https://www.{slug}.org/minutes",
    "Membership is pay-what-you-can",
    "I hold a surgery at the town hall every Saturday morning",
    "Volunteers are always welcome, even for an hour a month",
    "Feel free to message me through the platform",
    "Our group page: https://www.facebook.com/groups/{slug}",
    "Our annual report and accounts are on our website: https://www.{slug}.org.uk/report",
    "We post our agenda on the notice board outside the community hall",
    "Our newsletter goes out every month to all members",
    "We are funded by the council, the lottery fund and our members",
    "Our office is open Monday to Thursday, 10 am to 4 pm",
    "What we do, in pictures: https://www.{slug}-group.org",
]

FR_CLOSINGS = [
    "Au plaisir d'échanger avec vous.",
    "Toutes les idées sont les bienvenues.",
    "N'hésitez pas à commenter nos propositions.",
    "Venez nous rencontrer, le café est offert.",
    "Je ne représente aucun parti, seulement des habitants qui veulent que ça avance.",
    "Merci à toutes celles et ceux qui prennent le temps de participer.",
    "Bonne participation à tous.",
    "Ensemble, on peut faire bouger les choses dans le quartier.",
]

EN_CLOSINGS = [
    "Happy to hear from anyone.",
    "All ideas are welcome.",
    "Not affiliated with any party.",
    "Come and say hello, the tea is on us.",
    "Thanks to everyone who takes the time to take part.",
    "Looking forward to the discussion.",
]

FR_SHORT_PROFILES = [
    "Retraité.",
    "Étudiante en droit.",
    "Habitant de {quartier}.",
    "Maman de trois enfants, {quartier}.",
    "Élue municipale.",
    "Agent territorial.",
    "Asso des locataires de {quartier}.",
    "Prof des écoles.",
    "Cycliste, piéton, usager du bus.",
    "Ici pour voter.",
    "Collectif climat {quartier}.",
    "Aide-soignante de nuit.",
    "Bénévole aux Restos.",
    "Jeune de {quartier}, 17 ans.",
    "Conseiller de quartier {quartier}.",
    "Ancien détenu, aujourd'hui éducateur.",
]

EN_SHORT_PROFILES = [
    "Retired.",
    "Student.",
    "Lives in {district}.",
    "Councillor.",
    "Teacher and parent.",
    "Tenants' association, {district}.",
    "Here to vote.",
    "Cyclist.",
]

# --- comments ----------------------------------------------------------------------------------

FR_COMMENT_OPENERS = [
    "Merci pour cette proposition.",
    "Je rejoins l'avis de Martine.",
    "Je ne suis pas d'accord avec le commentaire précédent.",
    "Bonjour à tous,",
    "En tant qu'habitante de {quartier},",
    "Je me permets d'ajouter quelques éléments.",
    "Question pour les services de la ville :",
    "Pour avoir assisté à la réunion publique,",
    "Je soutiens ce projet, avec une réserve.",
    "Attention,",
    "Très bonne idée, mais",
    "Je vote contre, et voici pourquoi.",
]

EN_COMMENT_OPENERS = [
    "Thanks for this proposal.",
    "I agree with the previous comment.",
    "I disagree with Tom here.",
    "Hello everyone,",
    "As a resident of {district},",
    "A question for the council officers:",
    "Having attended the public meeting,",
    "I support this, with one reservation.",
]

FR_COMMENT_CLOSINGS = [
    "Qu'en pensent les autres habitants ?",
    "Merci de votre réponse.",
    "Bonne journée.",
    "À discuter à la prochaine réunion du conseil de quartier.",
    "Le compte rendu de la séance est sur https://www.ville-exemple.fr/deliberations",
    "Les chiffres viennent du rapport annuel publié sur https://www.ville-exemple.fr/budget",
    "C'est mon avis, je peux me tromper.",
    "Voir aussi le rapport du contrôleur général : https://www.cglpl.fr",
]

EN_COMMENT_CLOSINGS = [
    "What do other residents think?",
    "Thanks in advance for your answer.",
    "Let's discuss it at the next ward meeting.",
    "The figures come from the annual report at https://www.town-example.gov.uk/budget",
    "Just my view, happy to be corrected.",
]

FR_SHORT_COMMENTS = [
    "D'accord.",
    "+1",
    "Merci !",
    "Tout à fait d'accord avec Sophie.",
    "Pas convaincu.",
    "Bonne idée !",
    "Et le coût ?",
    "Je vote pour.",
    "Enfin !",
    "Oui, vite.",
    "Pourquoi pas à {quartier} ?",
    "Contre.",
    "Bravo aux porteurs du projet.",
    "À suivre…",
    "Merci pour le compte rendu.",
    "Idem, même problème chez nous.",
]

EN_SHORT_COMMENTS = [
    "Agreed.",
    "+1",
    "Thanks!",
    "Not convinced.",
    "Great idea!",
    "How much will it cost?",
    "Yes please.",
    "Same problem in {district}.",
]
