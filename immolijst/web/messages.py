"""The message catalogue of the web app: every text a worker reads, keyed.

Templates and routes never hold Dutch text themselves; they ask :func:`msg`
for a key. A French or English catalogue can be added next to ``"nl"``
without touching the pages. Amounts are formatted with
:func:`matcher._texts.format_eur` (re-exported here as :func:`eur`).

>>> msg("household.saved")
'Het huishouden is bewaard.'
>>> msg("login.locked", minutes=2)
'Te veel mislukte pogingen. Probeer opnieuw over 2 minuten.'
>>> eur(1234.5)
'€ 1.234,50'
"""

from __future__ import annotations

from typing import Final

from matcher._texts import format_eur, format_number

__all__ = ["DEFAULT_LANGUAGE", "MESSAGES", "choice_label", "eur", "msg", "number"]

#: Language used when none is asked.
DEFAULT_LANGUAGE: Final = "nl"

#: Language → key → :meth:`str.format` template.
MESSAGES: Final[dict[str, dict[str, str]]] = {
    "nl": {
        # -- general -----------------------------------------------------------------
        "app.title": "Woonclub W13 — immolijst",
        "app.skip": "Naar de inhoud",
        "nav.label": "Hoofdmenu",
        "nav.households": "Huishoudens",
        "nav.new_household": "Nieuw huishouden",
        "nav.logout": "Afmelden",
        "nav.logged_in_as": "Aangemeld als {name}",
        "nav.role.admin": "beheerder",
        "nav.role.worker": "medewerker",
        "flash.label": "Melding",
        # -- login -------------------------------------------------------------------
        "login.title": "Aanmelden",
        "login.intro": "Meld u aan met de naam en het wachtwoord die u van de beheerder kreeg.",
        "login.name": "Gebruikersnaam",
        "login.password": "Wachtwoord",
        "login.submit": "Aanmelden",
        "login.failed": "De naam of het wachtwoord klopt niet.",
        "login.locked": "Te veel mislukte pogingen. Probeer opnieuw over {minutes} minuten.",
        "login.logged_out": "U bent afgemeld.",
        "login.required": "Meld u eerst aan.",
        # -- errors ------------------------------------------------------------------
        "error.title": "Er ging iets mis",
        "error.403.title": "Geen toegang",
        "error.403.text": "U hebt geen toegang tot deze pagina.",
        "error.404.title": "Niet gevonden",
        "error.404.text": "Deze pagina bestaat niet (meer).",
        "error.405.title": "Niet toegelaten",
        "error.405.text": "Deze actie is hier niet mogelijk.",
        "error.413.title": "Te groot",
        "error.413.text": "Het formulier is te groot.",
        "error.csrf.title": "Formulier verlopen",
        "error.csrf.text": (
            "Het formulier is verlopen of kwam niet van deze website. "
            "Ga terug, laad de pagina opnieuw en probeer nog eens."
        ),
        "error.500.title": "Er ging iets mis",
        "error.500.text": (
            "Er ging iets mis op de server. Uw gegevens zijn niet getoond of doorgegeven. "
            "Probeer het later opnieuw of verwittig de beheerder."
        ),
        "error.back": "Terug naar de huishoudens",
        # -- households list ---------------------------------------------------------
        "households.title": "Huishoudens",
        "households.intro": "De huishoudens die u bewaard hebt.",
        "households.intro.admin": "Alle bewaarde huishoudens (u bent beheerder).",
        "households.empty": "Er zijn nog geen huishoudens bewaard.",
        "households.new_match": "{n} nieuwe woning",
        "households.new_matches": "{n} nieuwe woningen",
        "households.new": "Nieuw huishouden",
        "households.col.label": "Schuilnaam",
        "households.col.owner": "Medewerker",
        "households.col.persons": "Personen",
        "households.col.updated": "Laatst gewijzigd",
        "households.col.actions": "Acties",
        "households.open": "Openen",
        "households.edit": "Bewerken",
        "households.delete": "Verwijderen",
        # -- household overview --------------------------------------------------------
        "household.title": "Huishouden {label}",
        "household.saved": "Het huishouden is bewaard.",
        "household.deleted": "Het huishouden is helemaal verwijderd.",
        "household.members": "Gezinsleden",
        "household.income": "Inkomen",
        "household.situation": "Situatie",
        "household.preferences": "Wensen",
        "household.net_total": "Netto inkomen per maand, samen",
        "household.none": "geen",
        "household.any": "alle",
        "household.unknown": "onbekend",
        "household.yes": "ja",
        "household.no": "nee",
        "household.age": "{age} jaar",
        "household.edit": "Bewerken",
        "household.delete": "Verwijderen",
        "household.immolijst": "Immolijst bekijken",
        "household.back": "Terug naar de lijst",
        # -- delete ------------------------------------------------------------------
        "delete.title": "Huishouden {label} verwijderen",
        "delete.text": (
            "Alle gegevens van dit huishouden worden helemaal gewist. "
            "Dit kan niet ongedaan gemaakt worden."
        ),
        "delete.confirm": "Ja, verwijder alles",
        "delete.cancel": "Nee, terug",
        # -- intake form -------------------------------------------------------------
        "form.title.new": "Nieuw huishouden",
        "form.title.edit": "Huishouden {label} bewerken",
        "form.intro": "Vul in wat u weet. Velden met een * zijn verplicht.",
        "form.errors.title": "Er {count_text} in het formulier",
        "form.errors.one": "is 1 fout",
        "form.errors.many": "zijn {count} fouten",
        "form.errors.intro": "Kijk deze velden na:",
        "form.save": "Bewaren",
        "form.cancel": "Annuleren",
        "form.required": "verplicht",
        "form.label": "Schuilnaam *",
        "form.label.help": (
            "Een korte schuilnaam om het huishouden terug te vinden, bv. 'Gezin Zonnebloem'. "
            "Gebruik geen echte naam en geen rijksregisternummer."
        ),
        "form.label.missing": "Geef een schuilnaam",
        "form.label.too_long": "De schuilnaam is te lang (hoogstens {max} tekens)",
        "form.members": "Gezinsleden",
        "form.members.help": "Iedereen die in de woning zal wonen, ook kinderen in co-ouderschap.",
        "form.member": "Gezinslid {number}",
        "form.member.role": "Rol",
        "form.member.birth_date": "Geboortedatum *",
        "form.member.birth_date.help": "Schrijf JJJJ-MM-DD, bv. 1990-05-14.",
        "form.member.disability": "Erkende handicap",
        "form.member.sex": "Geslacht",
        "form.member.sex.none": "niet opgegeven",
        "form.member.custody": "Verblijf",
        "form.member.remove": "Gezinslid {number} weghalen",
        "form.member.add": "Gezinslid toevoegen",
        "form.income": "Inkomen",
        "form.income.help": "Netto bedragen per maand, in euro. Laat leeg wat er niet is.",
        "form.income.kind": "{kind} (€ per maand)",
        "form.taxable_annual": "Belastbaar inkomen per jaar (€)",
        "form.taxable_annual.help": (
            "Het inkomen volgens het laatste aanslagbiljet. Laat leeg als u het niet weet."
        ),
        "form.situation": "Situatie",
        "form.waiting_list_since": "Op de wachtlijst voor een sociale woning sinds",
        "form.waiting_list_since.help": "Laat leeg als het huishouden niet ingeschreven is.",
        "form.leaving": "Waarom verhuist het huishouden?",
        "form.owns_property": "Iemand van het huishouden heeft een woning of bouwgrond",
        "form.preferences": "Wensen",
        "form.municipalities": "Gemeenten",
        "form.municipalities.help": "Niets aangevinkt: de hele regio.",
        "form.property_types": "Soort woning",
        "form.property_types.help": "Niets aangevinkt: elke soort.",
        "form.min_bedrooms": "Minimum aantal slaapkamers",
        "form.min_bedrooms.help": "Laat leeg om het uit de gezinssamenstelling af te leiden.",
        "form.needs": "Noden",
        "form.pets": "Het huishouden heeft huisdieren",
        "form.move_in_by": "Verhuizen tegen",
        "form.amount.invalid": "Geen geldig bedrag",
        "form.number.invalid": "Geen geldig getal",
        "form.members.too_many": "Te veel gezinsleden (hoogstens {max})",
        # -- choices -----------------------------------------------------------------
        "role.applicant": "aanvrager",
        "role.partner": "partner",
        "role.child": "kind",
        "role.adult": "andere volwassene",
        "sex.f": "vrouw",
        "sex.m": "man",
        "sex.x": "x",
        "custody.full": "woont er altijd",
        "custody.shared": "co-ouderschap",
        "income.wage": "Loon",
        "income.unemployment": "Werkloosheidsuitkering",
        "income.sickness": "Ziekte-uitkering",
        "income.disability": "Tegemoetkoming handicap",
        "income.pension": "Pensioen",
        "income.leefloon": "Leefloon",
        "income.groeipakket": "Groeipakket",
        "income.alimony": "Alimentatie",
        "income.other": "Ander inkomen",
        "leaving.none": "geen bijzondere reden",
        "leaving.unfit": "de woning is ongeschikt",
        "leaving.uninhabitable": "de woning is onbewoonbaar verklaard",
        "leaving.overcrowded": "de woning is overbewoond",
        "leaving.homeless": "dakloos",
        "leaving.unsuitable": "de woning past niet (bv. handicap)",
        "leaving.svk": "verhuist naar een woning van een SVK",
        "property_type.apartment": "appartement",
        "property_type.house": "huis",
        "property_type.studio": "studio",
        "property_type.room": "kamer",
        "property_type.other": "andere",
        "need.ground_floor_or_elevator": "gelijkvloers of lift",
        "need.accessible": "toegankelijk (rolstoel)",
        "need.garden": "tuin",
        "need.parking": "parking",
        # -- purge / audit (admin) ---------------------------------------------------
        "audit.open": "geopend",
        "audit.create": "aangemaakt",
        "audit.update": "gewijzigd",
        "audit.delete": "verwijderd",
        "audit.export": "geëxporteerd",
        "audit.purge": "opgeruimd (lang niet gebruikt)",
        "audit.login": "aangemeld",
        "audit.logout": "afgemeld",
        "audit.login_failed": "aanmelden mislukt",
        # -- W2: immolijst, dwelling, sources pages (append keys below) --------------
        # list page (immolijst for a household)
        "list.title": "Immolijst voor {label}",
        "list.intro": (
            "De woningen te huur in de regio, gerangschikt voor dit huishouden. "
            "Bedragen per maand, op {date}."
        ),
        "list.counts": (
            "{total} woningen: {green} betaalbaar, {amber} krap, {red} te duur of ongeschikt."
        ),
        "list.shown": "{shown} van {total} woningen na filter, pagina {page} van {pages}.",
        "list.empty": "Geen woningen gevonden met deze filters.",
        "list.filters": "Filteren en sorteren",
        "list.filter.municipality": "Gemeente",
        "list.filter.type": "Soort woning",
        "list.filter.bedrooms": "Minimum slaapkamers",
        "list.filter.verdict": "Oordeel",
        "list.filter.sort": "Sorteren op",
        "list.filter.all": "alle",
        "list.filter.apply": "Toepassen",
        "list.filter.reset": "Filters wissen",
        "list.sort.rang": "best passend",
        "list.sort.netto": "laagste nettokost",
        "list.sort.huur": "laagste huur",
        "list.sort.oppervlakte": "grootste oppervlakte",
        "list.table.caption": "Woningen, best passend eerst",
        "list.col.select": "Kiezen",
        "list.col.rank": "Nr.",
        "list.col.photo": "Foto",
        "list.col.dwelling": "Woning",
        "list.col.rent": "Huur + lasten",
        "list.col.energy": "Energie",
        "list.col.allowance": "Premie",
        "list.col.net": "Netto per maand",
        "list.col.share": "Deel van inkomen",
        "list.col.verdict": "Oordeel",
        "list.col.breakdown": "Opbouw",
        "list.select": "Woning {rank} kiezen voor de afdruk",
        "list.no_photo": "geen foto",
        "list.photo_alt": "Foto van de woning",
        "list.address_unknown": "adres niet bekend",
        "list.bedrooms": "{count} slpk.",
        "list.area": "{area} m²",
        "list.epc": "EPC {label}",
        "list.epc_score": "EPC {score} kWh/m²",
        "list.unknown": "onbekend",
        "list.estimated_mark": "*",
        "list.estimated_sr": "(schatting)",
        "list.estimated_legend": "* = schatting: het bedrag rust op een schatting.",
        "list.explain": "Uitleg",
        "list.explain_sr": "Uitleg bij woning {rank}",
        "list.adverts": "Advertenties",
        "list.advert_link": "{source}",
        "list.advert_gone": "{source} (offline)",
        "list.bar.label": (
            "Opbouw van de kost: huur {rent}, lasten {charges}, energie {energy}, min premie "
            "{allowance}"
        ),
        "list.bar.legend": (
            "Balk: huur (blauw), lasten (bruin) en energie (groen); daaronder wat u zelf "
            "betaalt (zwart) en wat de premie betaalt (grijs)."
        ),
        "list.reasons": "Waarom",
        "list.prev": "Vorige pagina",
        "list.next": "Volgende pagina",
        "list.pages": "Pagina's",
        "list.export": "Afdrukken en exporteren",
        "list.export.intro": (
            "Kies woningen met de vakjes in de lijst. Niets gekozen: de eerste {limit} "
            "woningen van de lijst met deze filters."
        ),
        "list.export.show_income": (
            "Inkomen en deel van het inkomen tonen op de afdruk voor de klant"
        ),
        "list.export.pdf": "Immolijst als PDF",
        "list.export.xlsx": "Alle gegevens als Excel",
        "list.no_store": "Er zijn nog geen woningen in de databank.",
        "list.household_error": (
            "De gegevens van dit huishouden zijn niet volledig: pas ze eerst aan."
        ),
        # dwelling page (one dwelling for one household)
        "dwelling.title": "Woning {rank} voor {label}",
        "dwelling.title_plain": "Woning voor {label}",
        "dwelling.back": "Terug naar de immolijst",
        "dwelling.facts": "De woning",
        "dwelling.fact.address": "Adres",
        "dwelling.fact.type": "Soort",
        "dwelling.fact.bedrooms": "Slaapkamers",
        "dwelling.fact.area": "Oppervlakte",
        "dwelling.fact.epc": "EPC",
        "dwelling.fact.available": "Vrij",
        "dwelling.fact.available_now": "meteen",
        "dwelling.fact.contact": "Contact",
        "dwelling.cost": "Wat kost deze woning per maand?",
        "dwelling.cost.rent": "Huur",
        "dwelling.cost.charges": "Lasten",
        "dwelling.cost.energy": "Energie (schatting)",
        "dwelling.cost.allowance": "Min huurpremie of huursubsidie",
        "dwelling.cost.net": "Netto per maand",
        "dwelling.cost.share": "Deel van het inkomen (huur min premie)",
        "dwelling.cost.housing_share": "Woonquote (alle woonkosten)",
        "dwelling.cost.residual": "Blijft over om van te leven",
        "dwelling.verdict": "Oordeel",
        "dwelling.reasons": "Waarom dit oordeel",
        "dwelling.estimated": "Wat een schatting is",
        "dwelling.allowances": "Huurpremie en huursubsidie",
        "dwelling.allowance.eligible": "waarschijnlijk recht: {amount} per maand",
        "dwelling.allowance.not_eligible": "geen recht",
        "dwelling.allowance.unknown": "nog na te kijken",
        "dwelling.allowance.one_off": "Eenmalig: {amount} installatiepremie",
        "dwelling.conditions": "Voorwaarden",
        "dwelling.condition.met": "voldaan",
        "dwelling.condition.not_met": "niet voldaan",
        "dwelling.condition.unknown": "onbekend",
        "dwelling.formula": "Berekening",
        "dwelling.parameters": "Gebruikte regels en bedragen",
        "dwelling.param.name": "Regel",
        "dwelling.param.value": "Waarde",
        "dwelling.param.status": "Status",
        "dwelling.param.source": "Bron",
        "dwelling.param.confirmed": "bevestigd",
        "dwelling.param.estimated": "schatting",
        "dwelling.suitability": "Past de woning bij het gezin?",
        "dwelling.next": "Wat nu?",
        "dwelling.deposit": "Huurwaarborg: {amount}",
        "dwelling.adverts": "Advertenties van deze woning",
        "dwelling.advert.active": "online",
        "dwelling.advert.gone": "offline",
        "dwelling.history": "Prijsgeschiedenis",
        "dwelling.history.caption": "Prijs van de advertentie op {source}",
        "dwelling.history.date": "Datum",
        "dwelling.history.rent": "Huur",
        "dwelling.history.charges": "Lasten",
        "dwelling.history.empty": "Nog geen prijsgeschiedenis.",
        "dwelling.conflicts": "Verschillende waarden in de advertenties",
        # next steps (dwelling page and printable immolijst)
        "next.visit": (
            "Bel of mail de verhuurder of het kantoor en maak een afspraak om de woning te "
            "bezoeken."
        ),
        "next.huurpremie": (
            "Huurpremie: staat u al minstens {years} jaar op de wachtlijst voor een sociale "
            "woning? Dan hebt u waarschijnlijk recht op een huurpremie. "
            "Vraag ze aan bij Wonen in Vlaanderen, "
            "of laat u helpen door het woonloket van uw gemeente of de woonclub."
        ),
        "next.huursubsidie": (
            "Huursubsidie: verhuist u uit een ongeschikte of onbewoonbare woning, was u dakloos, "
            "of huurt u bij een sociaal verhuurkantoor? Vraag de huursubsidie aan bij Wonen in "
            "Vlaanderen, ten laatste {months} maanden na de start van uw huurcontract. "
            "U krijgt dan "
            "ook één keer een installatiepremie."
        ),
        "next.none": (
            "Voor deze woningen hebt u waarschijnlijk geen recht op een huurpremie of "
            "huursubsidie. "
            "Vraag het na bij de woonclub als uw situatie verandert."
        ),
        "next.deposit": (
            "Huurwaarborg: de verhuurder mag hoogstens {months} maanden huur als waarborg vragen. "
            "Kunt u die niet in één keer betalen? Vraag het OCMW van uw gemeente om een "
            "bankwaarborg, of vraag een renteloze huurwaarborglening aan bij het Vlaams "
            "Woningfonds."
        ),
        "next.domicile": "Laat u na de verhuis inschrijven op het nieuwe adres bij uw gemeente.",
        # sources status (admin)
        "sources.title": "Bronnen",
        "sources.intro": "De laatste crawl van elke bron, de aantallen en wat opvalt.",
        "sources.admin_only": "Deze pagina is alleen voor beheerders.",
        "sources.warnings": "Waarschuwingen",
        "sources.no_warnings": "Geen waarschuwingen.",
        "sources.alarms": "Alarmen van de laatste nachtelijke run",
        "sources.no_alarms": "Geen alarmen.",
        "sources.empty": "Er is nog geen enkele bron gecrawld.",
        "sources.col.source": "Bron",
        "sources.col.last_run": "Laatste crawl",
        "sources.col.status": "Status",
        "sources.col.last_complete": "Laatste volledige crawl",
        "sources.col.active": "Actief",
        "sources.col.gone": "Verdwenen",
        "sources.col.seen": "Gezien",
        "sources.col.new": "Nieuw",
        "sources.col.dropped": "Geweigerd",
        "sources.col.coverage_rent": "Met huurprijs",
        "sources.col.coverage_postcode": "Met postcode",
        "sources.never": "nooit",
        "sources.status.running": "bezig",
        "sources.status.complete": "volledig",
        "sources.status.partial": "gedeeltelijk",
        "sources.status.failed": "mislukt",
        "sources.totals": (
            "Totaal: {active} actieve advertenties, {gone} verdwenen, {dwellings} woningen."
        ),
        "sources.dropped": "Geweigerd per reden",
        "sources.warn.partial": "{source}: de laatste crawl ({date}) is {status}.",
        "sources.warn.coverage": (
            "{source}: maar {share} van de advertenties heeft een {field} (minder dan {limit})."
        ),
        "sources.warn.stale": (
            "{source}: de laatste volledige crawl is van {date}, ouder dan {days} dagen."
        ),
        "sources.warn.never_complete": "{source}: nog nooit volledig gecrawld.",
        "sources.field.rent_eur": "huurprijs",
        "sources.field.postcode": "postcode",
        # printable immolijst (PDF)
        "report.header": "Woonclub W13 — immolijst",
        "report.title": "Immolijst",
        "report.date": "Opgemaakt op {date}",
        "report.intro": (
            "Deze woningen zijn te huur en kunnen passen bij uw gezin. "
            "Alle bedragen zijn per maand."
        ),
        "report.dwelling": "Woning {number}",
        "report.rent": "Huur",
        "report.charges": "Lasten",
        "report.energy": "Energie (schatting)",
        "report.allowance": "Min huurpremie of huursubsidie",
        "report.net": "Wat u per maand betaalt",
        "report.income": "Netto inkomen per maand",
        "report.share": "Deel van uw inkomen",
        "report.verdict": "Oordeel",
        "report.contact": "Contact",
        "report.contact_unknown": "zie de advertentie",
        "report.qr": "Scan de code om de advertentie te openen.",
        "report.estimated": "* Onder voorbehoud: {notes}.",
        "report.none": "Er zijn geen woningen gekozen.",
        "report.next.title": "Huurpremie, huursubsidie en waarborg: wat nu?",
        "report.next.yours": "Voor u",
        "report.questions": "Vragen? Kom langs bij de woonclub of bel uw begeleider.",
        "report.footer": "Woonclub W13 — immolijst — {date}",
        # XLSX export
        "xlsx.sheet": "Immolijst",
        "xlsx.filename": "immolijst.xlsx",
        "pdf.filename": "immolijst.pdf",
        "xlsx.col.rank": "Rang",
        "xlsx.col.dwelling_id": "Woning-id",
        "xlsx.col.address": "Adres",
        "xlsx.col.verdict": "Oordeel (kleur)",
        "xlsx.col.verdict_label": "Oordeel",
        "xlsx.col.suitable": "Geschikt",
        "xlsx.col.energy_eur": "Energie (€/maand, schatting)",
        "xlsx.col.allowance_eur": "Premie (€/maand)",
        "xlsx.col.allowance_name": "Premie",
        "xlsx.col.net_monthly_eur": "Netto (€/maand)",
        "xlsx.col.rent_share": "Deel van inkomen (huur − premie)",
        "xlsx.col.housing_share": "Woonquote",
        "xlsx.col.residual_eur": "Blijft over (€/maand)",
        "xlsx.col.reasons": "Redenen",
        "xlsx.col.estimated": "Schattingen",
        "xlsx.col.n_adverts": "Aantal advertenties",
        "xlsx.col.adverts": "Advertenties",
        "xlsx.col.source": "Bron",
        "xlsx.col.source_id": "Id bij de bron",
        "xlsx.col.url": "Link",
        "xlsx.col.title": "Titel",
        "xlsx.col.description": "Beschrijving",
        "xlsx.col.property_type": "Soort",
        "xlsx.col.property_subtype_raw": "Soort (bron)",
        "xlsx.col.rent_eur": "Huur (€/maand)",
        "xlsx.col.charges_eur": "Lasten (€/maand)",
        "xlsx.col.price_raw": "Prijs (tekst bron)",
        "xlsx.col.bedrooms": "Slaapkamers",
        "xlsx.col.living_area_m2": "Oppervlakte (m²)",
        "xlsx.col.epc_kwh_m2": "EPC-score (kWh/m²·jaar)",
        "xlsx.col.epc_label": "EPC-label",
        "xlsx.col.street": "Straat",
        "xlsx.col.house_number": "Huisnummer",
        "xlsx.col.box": "Bus",
        "xlsx.col.postcode": "Postcode",
        "xlsx.col.municipality": "Gemeente",
        "xlsx.col.locality": "Deelgemeente",
        "xlsx.col.latitude": "Breedtegraad",
        "xlsx.col.longitude": "Lengtegraad",
        "xlsx.col.floor": "Verdieping",
        "xlsx.col.available_from": "Vrij vanaf",
        "xlsx.col.available_now": "Meteen vrij",
        "xlsx.col.furnished": "Gemeubeld",
        "xlsx.col.pets_allowed": "Huisdieren toegelaten",
        "xlsx.col.elevator": "Lift",
        "xlsx.col.accessible": "Toegankelijk",
        "xlsx.col.garden": "Tuin",
        "xlsx.col.terrace": "Terras",
        "xlsx.col.parking": "Parking",
        "xlsx.col.deposit_eur": "Waarborg (€)",
        "xlsx.col.agency_name": "Kantoor of verhuurder",
        "xlsx.col.contact_phone": "Telefoon",
        "xlsx.col.contact_email": "E-mail",
        "xlsx.col.image_urls": "Foto's",
        "xlsx.col.published_at": "Gepubliceerd",
        "xlsx.col.scraped_at": "Opgehaald",
        "xlsx.col.first_seen_at": "Eerst gezien",
        "xlsx.col.last_seen_at": "Laatst gezien",
        "xlsx.col.gone_at": "Verdwenen op",
        "xlsx.col.active": "Actief",
        "xlsx.yes": "ja",
        "xlsx.no": "nee",
        "list.verdict.green": "betaalbaar",
        "list.verdict.amber": "krap",
        "list.verdict.red": "te duur of ongeschikt",
        "list.back": "Terug naar het huishouden",
        # -- end W2 ------------------------------------------------------------------
    },
}


def msg(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Return the text for ``key`` in ``language``, filled with ``values``.

    An unknown key raises :class:`KeyError`, so a typo fails the tests instead of
    showing a key to a worker.
    """
    template = MESSAGES[language][key]
    return template.format(**values) if values else template


def choice_label(group: str, value: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return the Dutch label of a choice, e.g. ``choice_label("role", "child")`` → ``"kind"``."""
    return MESSAGES[language].get(f"{group}.{value}", value)


def eur(amount: float) -> str:
    """Format an amount the Belgian way (``€ 1.234,56``)."""
    return format_eur(amount)


def number(value: float, decimals: int = 0) -> str:
    """Format a number the Belgian way (dot for thousands, comma for decimals)."""
    return format_number(value, decimals)
