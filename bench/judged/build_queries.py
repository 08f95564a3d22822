"""Builds bench/judged/queries.json: the judgments, written by hand as short names of the bundled actions.

    python bench/judged/build_queries.py      # rewrites queries.json (the split is fixed by SEED)
"""
import json
import random
from pathlib import Path

A = {  # short names -> action keys (relative to .../action/)
 "M01": "53053/2020-2025/01", "M02": "53053/2020-2025/02", "M03": "53053/2020-2025/03", "M04": "53053/2020-2025/04",
 "M05": "53053/2020-2025/05", "M06": "53053/2020-2025/06", "M07": "53053/2020-2025/07", "M08": "53053/2020-2025/08",
 "M09": "53053/2020-2025/09", "M10": "53053/2020-2025/10", "M11": "53053/2020-2025/11", "M12": "53053/2020-2025/12",
 "M13": "53053/2020-2025/13", "M14": "53053/2020-2025/14", "M15": "53053/2020-2025/15", "M16": "53053/2020-2025/16",
 "M17": "53053/2020-2025/17", "M18": "53053/2020-2025/18", "M19": "53053/2020-2025/19", "M20": "53053/2020-2025/20",
 "M21": "53053/2020-2025/21", "M22": "53053/2020-2025/22", "M23": "53053/2020-2025/23", "M24": "53053/2020-2025/24",
 "M25": "53053/2020-2025/25", "M26": "53053/2020-2025/26", "M27": "53053/2020-2025/27", "M28": "53053/2020-2025/28",
 "M29": "53053/2020-2025/29", "M30": "53053/2020-2025/30", "M31": "53053/2020-2025/31", "M32": "53053/2020-2025/32",
 "L01": "62063/2014-2019/01", "L02": "62063/2014-2019/02", "L03": "62063/2014-2019/03", "L04": "62063/2014-2019/04",
 "L05": "62063/2014-2019/05", "L06": "62063/2014-2019/06", "L07": "62063/2014-2019/07", "L08": "62063/2014-2019/08",
 "L09": "62063/2014-2019/09", "L10": "62063/2014-2019/10", "L11": "62063/2014-2019/11", "L12": "62063/2014-2019/12",
 "L13": "62063/2014-2019/13",
 "Hrencontre": "91142/2020-2025/activites-de-rencontre-pour-personnes-isolees",
 "Hvoisinage": "91142/2020-2025/animations-favorisant-le-bon-voisinage",
 "Hbienetre": "91142/2020-2025/ateliers-bien-etre-confiance-en-soi",
 "Henergie": "91142/2020-2025/ateliers-gestion-et-economie-d-energie",
 "Hmobilite": "91142/2020-2025/ateliers-mobilite",
 "Hcafe": "91142/2020-2025/cafe-papote",
 "Hconflits": "91142/2020-2025/cellule-de-resolution-de-conflits-entre-voisins",
 "Hcoaching": "91142/2020-2025/coaching-en-orientation-professionnelle",
 "Hseniors": "91142/2020-2025/des-activites-de-rencontre-pour-les-seniors",
 "Hconfiance": "91142/2020-2025/des-ateliers-sur-la-confiance-en-soi",
 "Hinfopermis": "91142/2020-2025/des-formations-en-informatique-et-au-permis-de",
 "Hpermis": "91142/2020-2025/formation-aux-permis-de-conduire-b-et-c",
 "Hparoles": "91142/2020-2025/groupe-de-paroles-autour-des-assuetudes",
 "Hgymagees": "91142/2020-2025/gym-douce-et-preventive-pour-personnes-agees",
 "Hsalon": "91142/2020-2025/salon-de-l-emploi-de-la-sante-et-du-logement",
 "Hparentalite": "91142/2020-2025/soutien-a-la-parentalite",
 "Horientation": "91142/2020-2025/un-coaching-orientation",
 "Hfrancais": "91142/2020-2025/un-cours-de-francais",
 "Hgym": "91142/2020-2025/un-cours-de-gym-douce",
 "Hsalonaines": "91142/2020-2025/un-salon-des-aines",
 "Hcommunautaire": "91142/2020-2025/une-education-a-la-vie-communautaire",
 "Htherapie": "91142/2020-2025/une-therapeutique-sur-les-assuetudes",
 "CHete": "52012/2009-2013/ete-solidaire-je-suis-partenaire", "CHjardin": "52012/2009-2013/jardin-citoyen",
 "COacfi": "52015/undated/acfi-ateliers-creatifs-du-francais-et-de-l", "COhaltes": "52015/undated/haltes-jeux",
 "COmaisons": "52015/undated/maisons-de-village-et-jardins-partages-courcelles", "COsante": "52015/undated/service-sante",
 "FLalim": "52021/2020-2025/semaine-de-l-alimentation", "PCmobitwin": "52055/undated/service-de-transport-social-mobitwin",
 "Dcyber": "53020/undated/sensibilisation-au-cyberharcelement-ecole", "Eepicerie": "55050/2014-2019/creation-d-une-epicerie-sociale",
 "CWbenevolat": "57097/2020-2025/plateforme-de-benevolat", "FMgappp": "62120/2020-2025/gappp",
 "Vrue": "63079/undated/travail-de-rue", "Pchauffer": "63088/2020-2025/chauffer-sa-maison",
 "Pfle": "63088/2020-2025/cours-de-francais-langue-etrangere", "Pelec": "63088/2020-2025/focus-sur-l-electricite",
 "Peau": "63088/2020-2025/l-eau-l-or-bleu", "Penergies": "63088/2020-2025/les-energies-au-quotidien-en-questions-reponses",
 "SGcolis": "64065/undated/proposer-des-colis-alimentaires",
 "Weau": "84075/2020-2025/atelier-collectif-en-economie-d-eau-pour-publics",
 "Wenergie": "84075/2020-2025/atelier-collectif-en-economie-d-energie-pour",
 "Wtravail": "84075/2020-2025/formation-par-la-mise-au-travail",
 "Wsante": "84075/2020-2025/semaine-de-la-sante-theme-2020-alimentation",
 "HBsurplus": "85046/2020-2025/offrir-vos-surplus-a-la-saint-vincent-de-paul", "ONnavette": "91103/undated/navette-rurale",
 "SLaccomp": "91120/2014-2019/l-accompagnement-individualise", "SLmain": "91120/2014-2019/l-atelier-main-libre",
 "SLcitoyens": "91120/2014-2019/l-espace-citoyens", "SLinsertion": "91120/2014-2019/l-insertion-sociale",
 "SLmobilite": "91120/2014-2019/la-mobilite", "SLinterpcs": "91120/2014-2019/la-plate-forme-inter-pcs",
 "SLemploi": "91120/2014-2019/le-service-emploi",
 "Gsoupe": "92054/2020-2025/bar-a-soupe", "Gepicerie": "92054/2020-2025/epicerie-sociale-en-partenariat-avec-les-pcs-d",
}
ISOL = ["M23", "M24", "M25", "M26", "M27", "Hrencontre", "Hseniors", "Hcafe"]
EMPLOI = ["M02", "Hcoaching", "Horientation", "Hsalon", "SLemploi", "Wtravail", "L02", "L10"]
ABRI = ["M03", "L03", "L05", "L11"]
ASSU = ["M07", "Hparoles", "Htherapie", "FMgappp", "L06"]
SANTE = ["M08", "M09", "L09", "COsante", "Wsante", "Hsalon", "L07"]
BIENETRE = ["M10", "Hbienetre", "Hconfiance"]
EPICERIE = ["M13", "Eepicerie", "Gepicerie"]
COLIS = ["SGcolis", "HBsurplus"]
POTAGER = ["M14", "CHjardin", "COmaisons"]
FRANCAIS = ["COacfi", "Hfrancais", "Pfle"]
ENERGIE = ["Henergie", "Wenergie", "Pchauffer", "Pelec", "Penergies"]
EAU = ["Weau", "Peau"]
TRANSPORT = ["PCmobitwin", "ONnavette", "SLmobilite"]
PERMIS = ["Hpermis", "Hinfopermis"]
QUARTIER = ["M21", "M22", "Hvoisinage", "Hconflits"]
GYM = ["M16", "Hgymagees", "Hgym"]
SENIORS = ["Hseniors", "Hsalonaines", "Hgymagees"]
POS = [
 ("personnes isolées", ISOL),
 ("solitude des aînés", ISOL + ["Hsalonaines"]),
 ("rompre l'isolement des seniors", ISOL),
 ("un café convivial où se retrouver", ["M26", "M27", "Hcafe"]),
 ("lieu de rencontre autour d'un café", ["M26", "M27", "Hcafe"]),
 ("aide à la recherche d'emploi", EMPLOI),
 ("écrire un CV", ["M02"]),
 ("accompagner les chômeurs dans leurs candidatures", ["M02", "Hcoaching", "Horientation", "SLemploi", "SLaccomp"]),
 ("orientation professionnelle", ["Hcoaching", "Horientation", "M02"]),
 ("insertion socioprofessionnelle", EMPLOI + ["SLinsertion"]),
 ("formation par le travail", ["Wtravail", "L02"]),
 ("soutien scolaire après l'école", ["M01"]),
 ("aide aux devoirs pour les enfants", ["M01"]),
 ("hébergement d'urgence pour sans-abri", ABRI),
 ("où dormir quand on est à la rue", ABRI),
 ("abri de nuit", ABRI),
 ("accueil de jour des sans-abri", ["M03", "L11"]),
 ("logement de transit", ["L04"]),
 ("trouver un logement", ["L04", "Hsalon"]),
 ("embellir le quartier avec de petits travaux", ["M04", "M05"]),
 ("lutte contre les dépôts clandestins et les déchets", ["M05"]),
 ("propreté des rues", ["M05"]),
 ("prévention des infections sexuellement transmissibles", ["M06"]),
 ("problèmes de drogue et d'alcool", ASSU),
 ("addictions", ASSU),
 ("toxicomanie", ASSU),
 ("groupe de parole pour personnes dépendantes", ["Hparoles", "Htherapie", "M07"]),
 ("consultation médicale gratuite", ["M08", "L09", "COsante"]),
 ("accès aux soins pour les plus démunis", ["M08", "M09", "L09", "L07", "COsante"]),
 ("santé des sans-abri dans la rue", ["M09", "L09", "Vrue"]),
 ("éducateurs de rue", ["Vrue", "M09"]),
 ("travail de rue", ["Vrue", "M09"]),
 ("soutien psychologique", BIENETRE + ["L07"]),
 ("confiance en soi", ["Hbienetre", "Hconfiance"]),
 ("bien-être et estime de soi", BIENETRE),
 ("urgence sociale", ["L08", "L07"]),
 ("plan canicule pour les personnes fragiles", ["M11"]),
 ("vague de froid et personnes vulnérables", ["M11"]),
 ("manger sainement", ["M12", "FLalim", "Wsante"]),
 ("alimentation équilibrée", ["M12", "FLalim", "Wsante"]),
 ("épicerie sociale", EPICERIE),
 ("magasin à bas prix pour familles précaires", EPICERIE),
 ("colis alimentaires", COLIS + EPICERIE),
 ("aide alimentaire", COLIS + EPICERIE + ["Gsoupe", "L05"]),
 ("dons de légumes du jardin pour les démunis", ["HBsurplus"]),
 ("soupe pour les enfants", ["Gsoupe"]),
 ("repas chaud pour les sans-abri", ["L05"]),
 ("potager collectif", POTAGER),
 ("jardins partagés", POTAGER),
 ("cultiver des légumes ensemble", POTAGER),
 ("semaine de l'alimentation", ["FLalim", "Wsante"]),
 ("accès à la culture et aux loisirs", ["M15"]),
 ("activités artistiques", ["M15", "COacfi", "SLmain"]),
 ("faire du sport", GYM),
 ("gymnastique pour personnes âgées", ["Hgymagees", "Hgym"]),
 ("activités physiques douces", ["Hgymagees", "Hgym"]),
 ("ateliers interculturels", ["M17", "M18"]),
 ("cuisine du monde et contes", ["M17"]),
 ("respect de la diversité", ["M18", "M19"]),
 ("lutte contre les discriminations", ["M18", "M19"]),
 ("rencontres entre générations", ["M20"]),
 ("jeunes et aînés ensemble", ["M20"]),
 ("vie de quartier", QUARTIER + ["COmaisons"]),
 ("comité de quartier", ["M22"]),
 ("bon voisinage", ["Hvoisinage", "Hconflits", "M21"]),
 ("conflits entre voisins", ["Hconflits"]),
 ("médiation de voisinage", ["Hconflits"]),
 ("conseil consultatif des aînés", ["M28"]),
 ("participation citoyenne", ["M28", "M29", "SLcitoyens"]),
 ("donner la parole aux habitants", ["M29", "SLcitoyens"]),
 ("donnerie", ["M30"]),
 ("brocante gratuite", ["M30"]),
 ("seconde main et récupération", ["M30"]),
 ("fracture numérique", ["M31", "Hinfopermis"]),
 ("cours d'informatique", ["Hinfopermis", "M31"]),
 ("réparer son vélo", ["M32"]),
 ("mobilité douce", ["M32", "Hmobilite", "SLmobilite"]),
 ("passer son permis de conduire", PERMIS),
 ("transport pour les personnes sans voiture", TRANSPORT),
 ("navette pour les villages", ["ONnavette", "PCmobitwin"]),
 ("chauffeurs bénévoles", ["PCmobitwin", "ONnavette"]),
 ("taxi social", ["PCmobitwin", "ONnavette"]),
 ("réduire sa facture d'énergie", ENERGIE),
 ("économies d'énergie pour les ménages précarisés", ENERGIE),
 ("bien chauffer son logement", ["Pchauffer", "Henergie", "Wenergie"]),
 ("consommation d'électricité", ["Pelec", "Penergies", "Henergie", "Wenergie"]),
 ("économiser l'eau", EAU),
 ("précarité hydrique", EAU),
 ("cours de français pour étrangers", FRANCAIS),
 ("apprendre le français", FRANCAIS),
 ("alphabétisation", FRANCAIS),
 ("accueil des demandeurs d'asile", ["L12"]),
 ("migrants et réfugiés", ["L12", "Pfle"]),
 ("soutien aux parents", ["Hparentalite", "COhaltes"]),
 ("parentalité", ["Hparentalite"]),
 ("garderie et jeux pour les tout-petits", ["COhaltes"]),
 ("harcèlement à l'école", ["Dcyber"]),
 ("cyberharcèlement", ["Dcyber"]),
 ("prévention auprès des élèves", ["Dcyber", "M06"]),
 ("bénévolat", ["CWbenevolat", "PCmobitwin", "ONnavette"]),
 ("trouver des bénévoles", ["CWbenevolat", "PCmobitwin"]),
 ("coordination des acteurs sociaux", ["L01", "L02", "SLinterpcs"]),
 ("travail en réseau entre communes", ["SLinterpcs", "L01", "Gepicerie"]),
 ("salon de l'emploi", ["Hsalon"]),
 ("salon pour les seniors", ["Hsalonaines", "Hsalon"]),
 ("été solidaire jeunes", ["CHete"]),
 ("jobs d'été pour les jeunes dans la commune", ["CHete"]),
 ("accompagnement individuel des personnes en difficulté", ["SLaccomp", "M02", "L08"]),
 ("réinsertion sociale", ["SLinsertion", "L10", "SLaccomp"]),
 ("vie en communauté", ["Hcommunautaire", "M21"]),
 ("atelier créatif", ["SLmain", "COacfi", "M15"]),
 ("maison de village", ["COmaisons"]),
 ("santé : semaine de prévention", ["Wsante", "COsante"]),
 ("médiation santé mentale urgences", ["L07"]),
]
NEG = ["violences conjugales", "médiation de dettes", "surendettement des ménages", "aide juridique gratuite",
       "prévention du suicide", "dépistage du cancer du sein", "soins dentaires gratuits", "vaccination des enfants",
       "prévention de la radicalisation", "accueil des gens du voyage", "maltraitance infantile",
       "harcèlement au travail", "cours de natation", "formation aux premiers secours", "victimes des inondations",
       "aide aux agriculteurs", "refuge pour animaux abandonnés", "naturalisation et nationalité belge",
       "mariages forcés", "logement étudiant", "éclairage public", "déneigement des routes", "office du tourisme",
       "permis d'urbanisme", "tri des déchets ménagers"]
# "tri des déchets" is close to propreté (M05)? it is about waste sorting; M05 is street cleanliness: judged not relevant
# pairs of actions of different communes that do the same thing (for similar())
PAIRS = [("M23", "Hrencontre"), ("Hrencontre", "M23"), ("Hseniors", "M23"), ("Hcafe", "M26"), ("M26", "Hcafe"),
         ("M13", "Eepicerie"), ("Eepicerie", "M13"), ("Gepicerie", "M13"), ("M03", "L03"), ("L03", "M03"), ("L11", "M03"),
         ("M07", "Hparoles"), ("Hparoles", "M07"), ("FMgappp", "M07"), ("Htherapie", "M07"),
         ("M14", "CHjardin"), ("CHjardin", "M14"), ("COmaisons", "M14"), ("Henergie", "Wenergie"), ("Wenergie", "Henergie"),
         ("Pchauffer", "Henergie"), ("Weau", "Peau"), ("Peau", "Weau"), ("COacfi", "Hfrancais"), ("Hfrancais", "Pfle"),
         ("Pfle", "Hfrancais"), ("PCmobitwin", "ONnavette"), ("ONnavette", "PCmobitwin"), ("M09", "Vrue"), ("Vrue", "M09"),
         ("M02", "Hcoaching"), ("Hcoaching", "M02"), ("SLemploi", "M02"), ("M08", "L09"), ("L09", "M08"),
         ("M16", "Hgym"), ("Hgymagees", "M16"), ("SGcolis", "HBsurplus"), ("HBsurplus", "SGcolis"), ("M10", "Hbienetre"),
         ("Hbienetre", "M10"), ("M21", "Hvoisinage"), ("Hvoisinage", "M21"), ("FLalim", "M12"), ("M12", "FLalim"),
         ("M31", "Hinfopermis"), ("M32", "Hmobilite"), ("SLmobilite", "ONnavette"), ("M29", "SLcitoyens"), ("SLcitoyens", "M29")]
# the codes a reader gives uncoded actions (null: no known type fits); only types of the nomenclature
GOLD = {"Hrencontre": "5.5.01", "Hseniors": "5.5.01", "Hcafe": "5.5.02", "Hcoaching": "1.5.02", "Horientation": "1.5.02",
        "Hparoles": "3.1.07", "Htherapie": "3.1.07", "FMgappp": "3.1.07", "Hbienetre": "3.4.01", "Hconfiance": "3.4.01",
        "Hvoisinage": "5.4.01", "Hgym": "5.1.04", "Hgymagees": "5.1.04", "Hinfopermis": "6.4.04", "CHjardin": "4.4.03",
        "COmaisons": "4.4.03", "Eepicerie": "4.4.01", "Gepicerie": "4.4.01", "FLalim": "4.1.03", "Vrue": "3.2.03",
        "CWbenevolat": None, "Hconflits": None, "Henergie": None, "Wenergie": None, "Pchauffer": None,
        "Hmobilite": None, "Hpermis": None, "SGcolis": None, "HBsurplus": None, "Hfrancais": None, "COacfi": None,
        "Pfle": None, "Hparentalite": None, "COhaltes": None, "Weau": None, "Peau": None, "Pelec": None, "Penergies": None,
        "PCmobitwin": None, "ONnavette": None, "Gsoupe": None, "Dcyber": None, "Hsalonaines": None, "COsante": None,
        "Wsante": None, "Hsalon": None, "Wtravail": None, "Hcommunautaire": None}
# the 2020-2025 axis a reader gives each uncoded action of 2020-2025 or undated (codes above give theirs)
AXIS = {"Hconflits": 5, "Henergie": 2, "Wenergie": 2, "Pchauffer": 2, "Pelec": 2, "Penergies": 2, "Weau": 2, "Peau": 2,
        "Hmobilite": 7, "Hpermis": 7, "PCmobitwin": 7, "ONnavette": 7, "SGcolis": 4, "HBsurplus": 4, "Gsoupe": 4,
        "Hfrancais": 1, "COacfi": 1, "Pfle": 1, "Hparentalite": 5, "COhaltes": 5, "Dcyber": 3, "Hsalonaines": 5,
        "COsante": 3, "Wsante": 3, "Hsalon": 1, "Wtravail": 1, "Hcommunautaire": 5, "CWbenevolat": 6}
SEED = 20261201
queries = [{"q": q, "relevant": sorted(A[k] for k in set(keys))} for q, keys in POS]
queries += [{"q": q, "relevant": []} for q in NEG]
rng = random.Random(SEED)
order = list(range(len(queries)))
rng.shuffle(order)
test = set(order[: len(order) // 2])
for i, q in enumerate(queries):
    q["split"] = "test" if i in test else "tuning"
data = {
  "about": "Judged queries of pcs-graph's search benchmark, written for the whole bundled corpus (101 actions, 19 communes) "
           "in a project leader's words, and judged by hand, action by action: 'relevant' lists the actions (keys relative to "
           ".../id/action/) that answer the query; an empty list is a negative query, a need the corpus does not meet. "
           "Written by the same person who tunes the ranking; split ONCE, before any tuning, into a tuning part and a test part "
           f"(random.Random({SEED}).shuffle of the query order, first half test): only test-part figures are reported.",
  "seed": SEED,
  "queries": queries,
  "similar_pairs": [{"action": A[a], "counterpart": A[b]} for a, b in PAIRS],
  "codes": {A[k]: v for k, v in GOLD.items()},
  "axes": {A[k]: v for k, v in AXIS.items()},
}
Path(__file__).with_name("queries.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(POS), "positive,", len(NEG), "negative,", sum(q["split"] == "test" for q in queries), "test")
