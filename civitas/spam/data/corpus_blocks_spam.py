# ruff: noqa: E501 (sentences of prose read better unbroken)
"""Hand-written building blocks of spam profiles and comments (French and English), CC0.

Written by the Civitas team for ``write_corpus.py``, modelled on what spammers post on
participation platforms: crypto schemes, online pharmacies, SEO agencies, casinos, dating and
escort sites, quick loans, essay mills, fake tech support, replica goods, followers for sale —
with links (bare, HTML, BBCode, URL shorteners), "CLIQUEZ ICI", WhatsApp numbers, or nothing
but a link. The domains are made up from ``DOMAIN_WORDS`` and ``DOMAIN_TLDS``.
"""

# Each offer: a category and sentences that sell it.
FR_OFFERS = {
    "self_promotion": [
        "Bonjour, je m'appelle Julie, rédactrice web pour une agence de référencement",
        "Je suis consultant en marketing digital et j'aide les entreprises à booster leurs ventes en ligne",
        "Moi c'est Lucas, blogueur voyage, je partage les meilleurs bons plans et codes promo",
        "Coach en développement personnel, découvrez ma méthode pour devenir riche en 90 jours",
        "Voyante et médium, consultations par téléphone 24 h/24, première question gratuite",
        "Je suis community manager freelance, je gère vos réseaux sociaux à petit prix",
        "Photographe de mariage, réservez votre séance dès aujourd'hui et profitez de 20 % de remise",
        "Formateur en trading, je vous apprends à vivre de la bourse depuis votre canapé",
    ],
    "crypto": [
        "Doublez votre investissement en bitcoin en 48 heures grâce à notre robot de trading automatique",
        "Gagnez jusqu'à 3 000 € par semaine depuis chez vous avec la crypto, sans aucune expérience",
        "Notre plateforme d'investissement garantit 15 % de rendement par mois, retrait immédiat",
        "Récupérez vos cryptomonnaies perdues ou volées, nos experts agréés vous remboursent sous 24 h",
        "Rejoignez le groupe Telegram VIP des signaux crypto, 98 % de trades gagnants",
    ],
    "pharmacy": [
        "Viagra et Cialis sans ordonnance, livraison discrète en 48 h partout en France",
        "Achetez vos médicaments en ligne au meilleur prix, pharmacie certifiée sans ordonnance",
        "Perdez 10 kilos en un mois avec notre complément minceur naturel, résultats garantis",
        "Tramadol, Xanax et somnifères disponibles sans prescription, paiement sécurisé",
        "Pilule miracle pour hommes, performances décuplées, essai gratuit aujourd'hui",
    ],
    "seo": [
        "Agence SEO numéro 1 : première page Google garantie en 30 jours ou remboursé",
        "Achetez des backlinks de qualité sur des sites à fort trafic, prix imbattables",
        "Création de site internet professionnel à partir de 99 €, référencement offert",
        "Boostez votre visibilité : 10 000 abonnés Instagram réels livrés en 24 h",
        "Rédaction d'articles sponsorisés avec lien en dofollow sur nos 500 blogs partenaires",
    ],
    "casino": [
        "Meilleur casino en ligne 2026 : bonus de bienvenue de 200 % et 100 tours gratuits",
        "Paris sportifs : nos pronostics gagnants à 95 %, inscrivez-vous maintenant",
        "Machines à sous en argent réel, retraits instantanés, bonus sans dépôt",
        "Jouez au poker en ligne et gagnez gros dès ce soir, code promo exclusif",
    ],
    "dating": [
        "Des femmes célibataires près de chez vous veulent vous rencontrer ce soir",
        "Rencontres coquines discrètes et sans engagement, inscription gratuite",
        "Escort girls de luxe disponibles 24 h sur 24, photos réelles et discrétion assurée",
        "Site de rencontre pour seniors, trouvez l'amour en quelques clics",
    ],
    "loan": [
        "Prêt rapide entre particuliers sans justificatif, réponse en 24 h, taux de 2 %",
        "Besoin d'argent urgent ? Crédit accordé même fiché Banque de France",
        "Rachat de crédits et financement immédiat, contactez notre conseiller sur WhatsApp",
        "Investisseur privé accorde des prêts de 5 000 à 500 000 € à toute personne sérieuse",
    ],
    "services": [
        "Dépannage informatique 24 h/24, imprimante, box internet, messagerie, appelez notre support",
        "Serrurier pas cher intervention en 15 minutes, déplacement gratuit",
        "Déménageurs professionnels au meilleur prix, devis gratuit en ligne",
        "Rédaction de mémoires et de thèses sur commande, note garantie, 100 % confidentiel",
        "Montres de luxe, répliques parfaites de grandes marques à prix d'usine",
        "Voyance sérieuse par téléphone, retour de l'être aimé en 7 jours",
    ],
}

EN_OFFERS = {
    "self_promotion": [
        "Hi, I am Sarah Miller, a professional content writer at EssayPro helping students with their assignments",
        "My name is David and I work as a digital marketing expert at a leading SEO agency",
        "I am a certified Salesforce consultant with 8 years of experience helping businesses grow",
        "Hello! I'm Emma, a travel blogger sharing the best hotel deals and discount codes",
        "I am a senior React developer available for freelance projects at affordable rates",
        "Hi there, I am a financial advisor who can show you how to earn passive income online",
        "Hey, I am a professional academic writer offering dissertation help for UK and Australian students",
        "I am a wedding photographer and videographer, book your shoot today and get 20% off",
    ],
    "reports": [
        "The global smart packaging market size is projected to reach USD 52 billion by 2030",
        "Download a free sample of our research report on the Asia-Pacific cosmetics market",
        "Our latest market study covers key players, trends and forecasts for the electric bike industry",
        "According to our analysts, the industrial boilers market will grow at a CAGR of 5.2% until 2032",
    ],
    "software": [
        "Adobe Photoshop 2026 crack with keygen, full version free download",
        "IDM serial key working 100%, lifetime activation for Windows",
        "Windows 11 Pro activator and license key generator, no virus",
        "Download Filmora video editor with crack for PC and Mac",
    ],
    "crypto": [
        "Double your bitcoin in 48 hours with our automated trading bot",
        "Earn $5,000 a week from home with crypto, no experience needed",
        "Our investment platform guarantees 20% monthly returns with instant withdrawals",
        "Recover your lost or stolen crypto, certified recovery experts refund you in 24 hours",
        "Join our VIP Telegram group for crypto signals with 98% winning trades",
    ],
    "pharmacy": [
        "Buy Viagra and Cialis online without prescription, discreet worldwide shipping",
        "Cheap generic meds from a licensed online pharmacy, no prescription required",
        "Lose 20 pounds in 30 days with our keto diet pills, guaranteed results",
        "Order tramadol, Xanax and oxycodone online with overnight delivery",
        "Best male enhancement pills, free trial today only",
    ],
    "seo": [
        "Best SEO company in Delhi: rank on page one of Google in 30 days guaranteed",
        "Buy high authority backlinks and guest posts at the cheapest price",
        "Professional website design and digital marketing services starting at $99",
        "Get 10,000 real Instagram followers and likes delivered instantly",
        "We write sponsored posts with dofollow links on 500 high-traffic blogs",
    ],
    "casino": [
        "Best online casino of 2026: 200% welcome bonus and 100 free spins",
        "Sports betting tips with 95% accuracy, sign up now",
        "Real money slots with instant payouts and a no-deposit bonus",
        "Play online poker and win big tonight with an exclusive promo code",
    ],
    "dating": [
        "Hot singles in your area want to meet you tonight",
        "Discreet adult dating with no strings attached, free sign-up",
        "Luxury escorts available 24/7, real photos and full discretion",
        "Find your Russian bride today, thousands of verified profiles",
    ],
    "loan": [
        "Instant payday loans with no credit check, approval in 10 minutes",
        "Need cash fast? Loans approved even with bad credit",
        "Debt consolidation and instant financing, message our agent on WhatsApp",
        "Private lender offering loans from $5,000 to $500,000 to any serious person",
    ],
    "services": [
        "Printer not working? Call our 24/7 toll-free tech support for QuickBooks, Outlook and routers",
        "Cheap essay writing service, plagiarism-free papers delivered before your deadline",
        "Replica luxury watches and designer handbags at factory prices",
        "Packers and movers in Bangalore at the lowest price, free quote",
        "Powerful love spells by a trusted spiritual healer, results in 3 days",
        "Download the latest software with crack and serial key, full version free",
    ],
}

FR_CALLS = [
    "CLIQUEZ ICI",
    "CLIQUEZ ICI 👉",
    "Cliquez ici pour en profiter",
    "Offre limitée, inscrivez-vous vite !!!",
    "Contactez-nous sur WhatsApp au +33 7 56 89 12 34",
    "Appelez maintenant le 09 70 12 34 56 (appel gratuit)",
    "Plus d'infos sur notre site",
    "Ne ratez pas cette occasion unique !",
    "Profitez-en avant minuit",
    "Inscription gratuite ici",
    "Écrivez-nous sur Telegram @gains_rapides_fr",
    "Visitez notre boutique en ligne",
]

EN_CALLS = [
    "CLICK HERE",
    "Click here now",
    "Visit our website",
    "Limited offer, sign up today!!!",
    "WhatsApp us on +1 (888) 555-0147",
    "Call our toll-free number 1-800-555-0199 now",
    "Don't miss out!",
    "Message us on Telegram @crypto_profit_vip",
    "Check out our store",
    "Free sign-up here",
]

DOMAIN_WORDS = [
    "cash",
    "pharma",
    "bonus",
    "casino",
    "crypto",
    "profit",
    "seo",
    "rank",
    "pills",
    "loan",
    "date",
    "hot",
    "win",
    "slots",
    "trade",
    "boost",
    "followers",
    "essay",
    "replica",
    "gains",
    "rencontre",
    "pret",
    "rapide",
    "meds",
]
DOMAIN_TLDS = ["xyz", "top", "online", "site", "shop", "icu", "club", "info", "biz", "in", "ru", "fun"]
SHORTENERS = [
    "https://bit.ly/{code}",
    "https://tinyurl.com/{code}",
    "https://cutt.ly/{code}",
    "https://is.gd/{code}",
]

# What comment spam often opens with, to look like a reply.
FR_HIJACKS = [
    "Très bon article, merci pour le partage.",
    "Super projet, je vote pour !",
    "Intéressant. Au passage,",
    "Merci pour ces informations très utiles.",
    "Je suis tout à fait d'accord.",
    "Bravo pour l'initiative.",
    "Bonjour, j'ai trouvé la solution à mes problèmes d'argent :",
    "Belle idée pour la ville.",
]

EN_HIJACKS = [
    "Great post, thanks for sharing.",
    "Nice idea, you have my vote.",
    "Very informative, by the way",
    "I totally agree with this.",
    "Thanks for this useful information.",
    "Hello, I found the solution to my money problems:",
    "Well said.",
    "Awesome initiative.",
]

# Company "about" texts: the commonest spam profile is a business describing itself at length.
FR_PROMO = [
    "Nous sommes une entreprise leader dans notre secteur avec plus de 15 ans d'expérience",
    "Notre équipe de professionnels qualifiés est à votre service 7 jours sur 7",
    "Nous proposons des services de qualité supérieure à des prix compétitifs",
    "La satisfaction de nos clients est notre priorité absolue",
    "Devis gratuit et sans engagement en moins de 24 heures",
    "Nous intervenons dans toute la France et en Belgique",
    "Nos produits sont fabriqués avec les meilleurs matériaux et livrés rapidement",
    "Des milliers de clients satisfaits nous font déjà confiance",
    "Profitez de nos offres exceptionnelles et de nos promotions toute l'année",
    "Commandez dès maintenant et bénéficiez de la livraison gratuite",
    "Notre boutique en ligne propose un large choix d'articles au meilleur prix du marché",
    "Spécialistes reconnus, nous garantissons un travail soigné et rapide",
    "Paiement en plusieurs fois sans frais",
    "Intervention rapide, prix imbattables, qualité garantie",
    "Demandez votre devis personnalisé dès aujourd'hui",
    "Nos conseillers vous répondent du lundi au samedi",
    "Satisfait ou remboursé pendant 30 jours",
    "Déjà plus de 10 000 clients conquis dans toute la France",
]

EN_PROMO = [
    "We are a leading company in our industry with over 15 years of experience",
    "Our team of highly qualified professionals is available around the clock",
    "We provide top quality services at the most affordable prices",
    "Customer satisfaction is our top priority",
    "Get a free, no-obligation quote within 24 hours",
    "We serve clients across the USA, UK, Canada and Australia",
    "Our products are made from premium materials and shipped worldwide",
    "Thousands of happy customers already trust us",
    "Take advantage of our exclusive deals and seasonal discounts",
    "Order now and enjoy free shipping on all orders",
    "Our online store offers a wide range of products at unbeatable prices",
    "We are a one-stop solution for all your business needs",
    "Our certified experts deliver fast, reliable and cost-effective solutions",
    "Contact us today to learn more about our services",
    "We pride ourselves on delivering excellence to every client",
    "Visit our website to explore our full range of services",
]

# "{name} is a {business} in {city}": the business-card spam of participation platforms.
BUSINESS_NAMES = [
    "Apex",
    "Zenith",
    "BrightPath",
    "Nova",
    "Prime",
    "Elite",
    "Quick",
    "Royal",
    "Smart",
    "Golden",
    "Infinity",
    "Metro",
    "Star",
    "Urban",
    "Global",
    "Trusty",
]
CITIES = [
    "Delhi",
    "Mumbai",
    "Bangalore",
    "Dubai",
    "New York",
    "London",
    "Toronto",
    "Sydney",
    "Lagos",
    "Karachi",
    "Paris",
    "Lyon",
]
EN_BUSINESSES = [
    "{name} Movers is the best packers and movers company in {city}, offering home shifting, office relocation and car transport",
    "{name} Dental Clinic is the top-rated dental clinic in {city} for implants, braces and teeth whitening",
    "{name} Catering provides wedding and corporate catering services in {city} with customised menus",
    "{name} Roofing offers roof repair, replacement and gutter cleaning across {city} and nearby areas",
    "{name} Research publishes market reports: the global industrial valves market is expected to grow at a CAGR of 6.8% by 2030",
    "{name} Academy is the best IELTS and PTE coaching institute in {city} with guaranteed band scores",
    "{name} Tech offers custom software development, mobile app development and cloud consulting",
    "{name} Printer Support fixes printer offline errors, driver installation and Wi-Fi setup for HP, Canon and Epson",
    "{name} Interiors designs modular kitchens, wardrobes and luxury living rooms in {city}",
    "{name} Travels offers cheap flight tickets, holiday packages and visa assistance from {city}",
    "{name} Yoga provides yoga therapy, teacher training and weight loss programmes in {city}",
    "{name} Law Firm has experienced immigration, divorce and property lawyers in {city}",
    "{name} Digital is a full-service digital marketing agency offering SEO, PPC, social media and web design",
    "{name} Leather sells genuine leather jackets, bags and wallets for men and women",
    "{name} Cleaning provides deep cleaning, carpet cleaning and end-of-tenancy cleaning in {city}",
    "{name} Hair Clinic offers hair transplant and PRP treatment in {city} at the lowest cost",
    "{name} Solar installs residential solar panels in {city} with zero down payment financing",
    "{name} Pest Control removes termites, bed bugs and rodents in {city}, same-day service",
    "{name} Web Solutions builds e-commerce websites on Shopify and WordPress at affordable prices",
    "{name} Jewellers sells certified diamond rings and gold chains online with free delivery",
]
FR_BUSINESSES = [
    "{name} Déménagement est le spécialiste du déménagement de particuliers et d'entreprises à {city}",
    "{name} Toiture réalise la réparation, le démoussage et l'isolation de votre toit à {city} et alentours",
    "{name} Formation est le centre de formation numéro 1 en {city} pour le CPF, l'anglais et la bureautique",
    "{name} Cuisine conçoit et installe des cuisines équipées sur mesure à prix d'usine",
    "{name} Auto vous propose des voitures d'occasion garanties et le rachat cash de votre véhicule",
    "{name} Rénovation réalise vos travaux de plomberie, d'électricité et de peinture clés en main",
    "{name} Immobilier vous accompagne pour acheter, vendre ou louer votre bien à {city}",
    "{name} Voyages propose des séjours tout compris et des billets d'avion à prix cassés",
    "{name} Piscines construit votre piscine coque ou béton en 15 jours, financement sans apport",
    "{name} Dépannage intervient 24 h/24 pour vos urgences de serrurerie, vitrerie et plomberie à {city}",
    "{name} Beauté est l'institut de référence à {city} pour l'épilation laser, les soins du visage et la minceur",
    "{name} Conseil vous aide à créer votre société et à optimiser vos impôts, premier rendez-vous offert",
    "{name} Fenêtres remplace vos fenêtres et vos volets roulants avec 50 % de remise ce mois-ci",
    "{name} Chauffage installe votre pompe à chaleur à 1 €, éligible à toutes les aides de l'État",
    "{name} Jardin réalise l'élagage, l'abattage et l'entretien de vos espaces verts à petit prix",
    "{name} Nettoyage propose le ménage à domicile et le nettoyage de bureaux, crédit d'impôt de 50 %",
    "{name} Optique vend des lunettes de marque à prix discount, deuxième paire offerte",
    "{name} Assurance compare les mutuelles et vous fait économiser jusqu'à 40 % par an",
    "{name} Bijoux vend des bijoux en or et argent en ligne, livraison offerte dès 30 €",
    "{name} Transport assure vos livraisons express et vos déménagements partout en Europe",
]
