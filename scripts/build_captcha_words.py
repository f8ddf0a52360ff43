"""Rebuild the CAPTCHA word lists (civitas/captcha/words/{fr,en}.txt).

Not needed to run Civitas: the lists are committed. To rebuild them, in a scratch
virtualenv and on Debian:

    pip install wordfreq==3.1.1 && apt-get install wfrench wamerican
    python scripts/build_captcha_words.py

A word is kept when it is among the language's most frequent words (wordfreq), is
written in lower case in the Debian spelling dictionary (so names of people, places
and brands drop out), has 4 to 10 plain letters, and touches none of the topics a
town hall would not want to show a visitor at random (violence, sex, death, drugs,
insults, religion, origins, politics). Licences: see civitas/captcha/words/README.md.
"""

import re
import sys
from pathlib import Path

from wordfreq import top_n_list

OUT = Path(__file__).resolve().parent.parent / "civitas" / "captcha" / "words"
KEEP = 3000
CANDIDATES = 40_000
DICTIONARIES = {"fr": "/usr/share/dict/french", "en": "/usr/share/dict/american-english"}
LETTERS = {"fr": re.compile(r"^[a-zàâçéèêëîïôûùüÿœ]{4,10}$"), "en": re.compile(r"^[a-z]{4,10}$")}

# Word beginnings left out; short on purpose to be read at a glance, wide on purpose
# (a few harmless words go too: there are plenty left).
AVOID = {
    "fr": """
        abus agress alcool arab arme assass attentat avort bais band bite blanc bless bomb bord
        bourr branl brut cadav cancer cann catho chatt chiot chrét cocaï con crev crim cul cadavr
        décéd décè défunt dieu divin djih drog ébat égorg église enfer enterr épouv érot escort
        étrangl excit explos fasc fesse fille flic folle fou frapp fusil gay gorge grossesse guerr
        handic haine homo horr idiot imbéc immig islam juif juive kill lesb maladie malad masturb
        merd meurt meurtr mort mosqu musulm nazi négr noir nu nud obsc orgasm pédé pédo pénis pistol
        pisse porn prière prostit pute putain racis rabbin salaud salop sang satan sein sexe sexu
        sida sodom suicid tabass taré terror tétons tortur tuer tué tueur tuant tuai vagin viol
        vomi zizi prison pendu cercueil funér deuil tombe crâne couill chier foutr enculé gros
        nègre race ethn colon esclav drogu malad morgue poison poignard massacr fusill génocid
        otage kidnap vol volé voleur escroc arnaq mafia gang dealer overdos ivre ivress bière vin
        religi papa pape prêtre curé imam jésus christ allah bible coran évangil parti élect vote
        gauche droite président ministr député sénat politi maire gouvern immigr chinois
        communis afric diabl scandal accus
    """,
    "en": """
        abort abus alcohol arab arse ass bastard beer bitch black blood bomb boob breast butt
        cancer christ church cock corpse crack crap crime cunt damn dead death devil dick die
        died dildo drug drunk dumb ethnic erotic fag fat fuck gay genocid god gun hell hitler
        homo idiot islam jesus jew kill lesb mosque murder muslim nazi negr nigg nude naked
        orgasm penis piss poison porn pray prostit pussy queer rabbi racis rape raping rapist
        retard satan semen sex shit slave slut stab stupid suicid terror tits torture ugly
        vagina violen vomit whore wine weapon war prison jail coffin funeral grave skull
        hostage kidnap thief steal stole gang dealer overdos bible koran gospel priest pope
        elect vote party president minister senat politic governm democrat republic liberal
        conservat trump obama biden racist race slav faggot wank horny sexy kinky fetish
        drunk beer vodka whisk cocaine heroin marijuana weed meth immigr suck female fraud
        alleged bishop religio cops knife accus minorit communis
    """,
}


def dictionary_words(path: str) -> set[str]:
    return {line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()}


def build(locale: str) -> list[str]:
    spelled = dictionary_words(DICTIONARIES[locale])
    avoid = tuple(AVOID[locale].split())
    kept: list[str] = []
    for word in top_n_list(locale, CANDIDATES):
        if not LETTERS[locale].match(word) or word not in spelled or word.startswith(avoid):
            continue
        kept.append(word)
        if len(kept) == KEEP:
            return kept
    sys.exit(f"{locale}: only {len(kept)} words pass the filters")


def main() -> None:
    for locale in DICTIONARIES:
        words = build(locale)
        (OUT / f"{locale}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        print(f"{locale}: {len(words)} words")


if __name__ == "__main__":
    main()
