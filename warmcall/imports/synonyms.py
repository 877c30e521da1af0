"""What other tools, and people, call each field of a lead: one table, read by ``recognise``.

The spellings are compared after ``header_key`` (case, accents, punctuation, camelCase,
brackets and column numbers ignored): ``E-Mail-Adresse`` is ``email adresse``, ``Name
(Original Name)`` is ``name``, ``Land/Region geschäftlich`` is ``land region geschaftlich``.
Each field lists its spellings best first; within one file, a field's columns rank in this
order (a work phone before a home phone). The languages are the ones Outlook, Google
Contacts and the CRMs export in across Europe and the Americas: English, Spanish, French,
German, Italian, Portuguese (Portugal and Brazil) and Dutch; then the reports of meeting and
event tools (Zoom, Eventbrite, Luma, Meetup) and mailing tools (Brevo).

``FALLBACKS`` are columns that feed a field only when no column of the file does: the buyer
of an Eventbrite ticket is not the attendee, but their e-mail is better than none; Brazil's
``Apelido`` is a nickname beside ``Sobrenome``, and Portugal's surname on its own.
"""

from __future__ import annotations

import re

from warmcall.leads import spelling_key

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        # en
        "name", "full name", "fullname", "display name", "contact name", "contact",
        "lead name", "customer name", "person", "participant name",
        "attendee name", "guest name", "registrant name", "member name",
        # es
        "nombre completo", "nombre y apellidos", "nombre", "contacto", "persona",
        # fr
        "nom complet", "nom et prenom", "nom prenom", "prenom et nom", "prenom nom",
        # de
        "vollstandiger name", "kontaktname", "ansprechpartner",
        # it
        "nome completo", "nominativo", "nome e cognome", "contatto",
        # pt
        "nome", "contato",
        # nl
        "naam", "volledige naam", "contactpersoon",
    ),
    "first_name": (
        "first name", "firstname", "given name", "first", "forename", "contact first name",
        "attendee first name", "guest first name", "registrant first name",
        "nombre de pila",  # es
        "prenom",  # fr
        "vorname",  # de
        "nome proprio", "primeiro nome",  # pt ("Nome" is "name": beside a surname, the first)
        "voornaam", "roepnaam",  # nl
    ),
    "middle_name": (
        "middle name", "additional name", "middle", "segundo nombre", "deuxieme prenom",
        "second prenom", "autres prenoms", "weitere vornamen", "zweiter vorname",
        "secondo nome", "segundo nome", "nome do meio", "middelste naam", "tussenvoegsel",
        "tussenvoegsels",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "last", "contact last name",
        "attendee last name", "guest last name", "registrant last name",
        "apellidos", "apellido", "primer apellido", "apellido paterno", "segundo apellido",
        "apellido materno",  # es (Mexico: paterno, materno)
        "nom de famille", "nom",  # fr
        "nachname", "familienname", "zuname",  # de
        "cognome",  # it
        "sobrenome", "ultimo nome", "apelidos",  # pt
        "achternaam", "familienaam",  # nl
    ),
    "company": (
        "company", "company name", "organization", "organisation", "organization name",
        "account", "account name", "business name", "employer",
        "empresa", "compania", "organizacion", "razon social", "entidad",  # es
        "societe", "entreprise", "raison sociale", "nom de l entreprise",  # fr
        "firma", "unternehmen", "firmenname", "organisation name",  # de
        "azienda", "societa", "ragione sociale", "ditta", "organizzazione",  # it
        "companhia", "organizacao", "nome da empresa",  # pt
        "bedrijf", "bedrijfsnaam", "organisatie", "onderneming",  # nl
    ),
    "title": (
        "job title", "jobtitle", "position", "role", "designation", "occupation",
        "organization title",
        "cargo", "puesto", "puesto de trabajo",  # es, pt
        "poste", "fonction", "titre du poste", "intitule du poste",  # fr
        "funktion", "berufsbezeichnung", "jobtitel", "stellenbezeichnung", "beruf",  # de
        "posizione", "qualifica", "ruolo", "mansione", "titolo professionale",  # it
        "funcao", "profissao",  # pt
        "functie", "functietitel", "beroep",  # nl
        "title", "titre",  # last: in Outlook's French these hold "M." or "Mme"
    ),
    "phone": (
        # en: the main number, mobiles, work, home, others
        "phone", "primary phone", "phone number", "telephone", "telephone number", "tel",
        "phone value", "mobile", "mobile phone", "mobile number", "mobile phone number",
        "cell", "cell phone", "cellphone", "direct phone", "work phone", "business phone",
        "business phone 2", "office phone", "company main phone", "home phone", "other phone",
        "contact numbers", "phones", "landline", "landline number", "sms", "whatsapp",
        # es
        "telefono", "telefono movil", "movil", "celular", "tlf", "telf", "telefono fijo",
        "telefono trabajo", "telefono del trabajo", "telefono particular",
        # fr
        "numero de telephone", "telephone mobile", "tel mobile", "telephone portable",
        "portable", "telephone bureau", "telephone professionnel", "telephone travail",
        "telephone domicile", "telephone personnel", "autre telephone",
        # de
        "telefon", "telefonnummer", "mobiltelefon", "handy", "mobil", "mobilnummer",
        "telefon geschaftlich", "telefon firma", "haupttelefon", "telefon privat",
        "weiteres telefon",
        # it
        "numero di telefono", "cellulare", "telefono cellulare", "telefono ufficio",
        "telefono lavoro", "telefono abitazione", "telefono casa", "altro telefono",
        # pt
        "telefone", "numero de telefone", "telemovel", "telefone celular", "telefone movel",
        "telefone comercial", "telefone do trabalho", "telefone principal",
        "telefone residencial", "outro telefone",
        # nl
        "telefoon", "telefoonnummer", "mobiel", "mobiele telefoon", "mobiel nummer",
        "telefoon werk", "telefoon op werk", "zakelijke telefoon", "telefoon thuis",
        "andere telefoon",
    ),
    "email": (
        "email", "email address", "primary email", "email value", "emails", "email id",
        "mail", "work email", "secondary email", "attendee email", "registrant email",
        "guest email",
        "correo", "correo electronico", "email de contacto",  # es
        "courriel", "adresse email", "adresse electronique", "adresse mail",  # fr
        "adresse de messagerie", "adresse courriel",
        "email adresse", "mail adresse", "emailadresse",  # de
        "indirizzo email", "indirizzo posta elettronica", "posta elettronica",  # it
        "endereco de email", "endereco email", "endereco de correio eletronico",  # pt
        "endereco eletronico", "correio eletronico",
        "emailadres", "email adres",  # nl
    ),
    "temperature": ("temperature", "temp", "temperatura", "temperature du lead"),
    "rating": ("rating", "lead rating", "calificacion", "valoracion", "bewertung",
               "valutazione", "classificacao", "beoordeling"),
    "stage": ("stage", "lifecycle stage", "lifecycle", "lead stage", "etapa",
              "fase", "ciclo de vida", "etape", "cycle de vie", "phase", "lebenszyklusphase",
              "stadio", "estagio", "levenscyclusfase"),
    "status": ("status", "lead status", "estado", "estado del lead", "statut", "stato",
               "situacao"),
    "source": ("source", "lead source", "origin", "original source", "original source type",
               "lead origin", "custom source", "utm source",
               "origen", "fuente", "procedencia", "canal de origen",  # es
               "origine", "provenance",  # fr
               "quelle", "herkunft", "lead quelle", "kontaktquelle",  # de
               "fonte", "provenienza",  # it
               "origem", "origem do lead",  # pt
               "bron", "herkomst", "leadbron"),  # nl
    "country": (
        "country", "country code", "country region", "country name", "nation", "nationality",
        "address country", "home country", "work country", "business country",
        "business country region", "home country region", "other country region",
        "mailing country", "billing country", "shipping country", "other country",
        "pais", "codigo de pais", "pais region",  # es, pt
        "pays", "pays region",  # fr
        "land", "land region", "land region geschaftlich", "land region privat",  # de, nl
        "paese", "nazione", "paese area geografica",  # it
        "pais regiao",  # pt
        "land regio",  # nl
    ),
    # Free text about the contact: the context when the file has no context column.
    "about": ("message", "your message", "mensaje", "tu mensaje", "su mensaje", "inquiry",
              "enquiry", "consulta", "how did you hear about us",
              "how did you hear about this event", "como nos conociste",
              "como nos ha conocido", "conversation", "first conversion", "nachricht",
              "messaggio", "mensagem", "bericht"),
    "context": ("context", "how we met", "how we know them", "contexto", "como nos conocimos",
                "contexte", "kontext", "contesto", "context notitie"),
    "consent": ("consent", "legal basis", "lawful basis", "consentimiento", "base legal",
                "base juridica", "consentement", "einwilligung", "consenso",
                "consentimento", "toestemming"),
    # Who the lead is to the law (SPEC §1): business, consumer, sole-trader.
    "segment": ("segment", "customer segment", "customer type", "client type",
                "b2b b2c", "b2b or b2c", "market segment",
                "segmento", "tipo de cliente", "tipo de contacto",  # es
                "segment client", "type de client",  # fr
                "kundentyp", "kundensegment",  # de
                "tipo cliente", "segmento cliente",  # it, pt
                "klanttype"),  # nl
    # An ISO 3166-2 subdivision (ES-MD, US-FL): regional holidays and state rules.
    "region": ("region", "region code", "subdivision", "iso 3166 2", "iso region",
               "state region code", "region iso",
               "region codigo", "codigo de region", "codigo region",  # es
               "code region", "code de region",  # fr
               "regionscode", "codice regione", "codigo da regiao", "regiocode"),
    "window": ("window", "call window", "best time to call", "best time", "preferred time",
               "ventana", "horario", "franja", "franja horaria", "horario de llamada",
               "mejor hora", "creneau", "horaire"),
    "timezone": ("timezone", "time zone", "tz", "zona horaria", "huso horario",
                 "fuseau horaire", "zeitzone", "fuso orario", "fuso horario", "tijdzone"),
    "notes": ("notes", "note", "comments", "comment", "description", "memo", "intro",
              "notas", "nota", "observaciones", "comentarios", "descripcion",  # es
              "remarques", "commentaires",  # fr
              "notizen", "notiz", "bemerkungen", "anmerkungen", "kommentar",  # de
              "kommentare", "beschreibung",
              "commenti", "descrizione",  # it
              "observacoes", "descricao",  # pt
              "notities", "notitie", "opmerkingen", "omschrijving", "beschrijving"),  # nl
    "tags": ("tags", "tag", "labels", "label", "categories", "category", "keywords", "groups",
             "group membership", "segments", "lists",
             "etiquetas", "categorias", "marcadores",  # es, pt
             "etiquettes",  # fr
             "kategorien", "stichworter", "schlagworter", "schlagworte",  # de
             "categorie", "etichette",  # it
             "categorieen", "trefwoorden"),  # nl
    "dnc_reason": ("dnc reason",),
    "do_not_call": ("do not call", "dnc", "no llamar", "ne pas appeler", "nicht anrufen",
                    "non chiamare", "nao ligar", "niet bellen"),
}  # fmt: skip

# Columns that feed a field only when no column of the file does (see the module's words).
FALLBACKS: dict[str, tuple[str, ...]] = {
    "name": ("user name", "username", "buyer name", "purchaser name", "nickname"),
    "first_name": ("buyer first name", "purchaser first name"),
    "last_name": ("buyer last name", "purchaser last name", "apelido"),
    "email": ("buyer email", "purchaser email", "order email"),
}  # fmt: skip

# Words another tool puts before a field's name: "Customer e-mail" is the e-mail, Zoom's
# "User Email" the participant's.
QUALIFIERS = frozenset(
    {"customer", "client", "contact", "lead", "person", "primary", "main", "cliente", "contacto",
     "principal", "your", "su", "tu", "user", "attendee", "participant", "guest", "member",
     "registrant", "kontakt", "contatto", "contato", "votre", "ihre", "uw"}
)  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_NUMBER = re.compile(r"(?:^| )(\d+)(?= |$)")
_EMAIL = re.compile("e-mail", re.IGNORECASE)
FALLBACK_RANK = 10_000  # after any column that names the field itself


def header_key(text: str, brackets: bool = False) -> str:
    """A header as ``spelling_key`` compares any spelling, once camelCase is split and
    what is in brackets set aside (kept with ``brackets``): ``E-mail 2 Address`` →
    ``email 2 address``; ``LeadSource`` → ``lead source``; ``Name (Original Name)`` →
    ``name``."""
    text = _EMAIL.sub("email", _CAMEL.sub(" ", text.replace("\ufeff", "")))
    return spelling_key(text if brackets else _BRACKETS.sub(" ", text))


def _table(fields: dict[str, tuple[str, ...]], base: int) -> dict[str, tuple[str, int]]:
    known: dict[str, tuple[str, int]] = {}
    for target, spellings in fields.items():
        for rank, spelling in enumerate(spellings):
            known.setdefault(spelling, (target, base + rank))  # the first field named wins
    return known


class Spellings:
    """One import's fields and what other tools call them, best first; a column is
    recognised the same way in every import (``recognise``). ``brackets``: what a header
    has in brackets tells its field apart (a call's ``Duration (ms)``), tried before the
    header without it."""

    def __init__(
        self,
        fields: dict[str, tuple[str, ...]],
        fallbacks: dict[str, tuple[str, ...]] | None = None,
        brackets: bool = False,
    ) -> None:
        self.known = _table(fields, 0)
        self.fallback = _table(fallbacks or {}, FALLBACK_RANK)
        self.brackets = brackets

    def recognise(self, column: str) -> tuple[str, int] | None:
        """The field a column holds and how sure we are (lower is better), or None. A rank
        of ``FALLBACK_RANK`` or more marks a fallback (``Header.of`` uses it only for a field
        no other column feeds).

        A number in the header (``Phone 2 - Value``, ``E-mail 3 Address``) marks a second or
        third value of a field: it matches without the number and ranks after the first.
        """
        if self.brackets and (found := self._key(header_key(column, brackets=True))):
            return found
        return self._key(header_key(column))

    def _key(self, key: str) -> tuple[str, int] | None:
        known, fallback = self.known, self.fallback
        found = known.get(key) or fallback.get(key)
        if found:
            return found
        first, _, rest = key.partition(" ")
        if first in QUALIFIERS and rest in known:  # "Customer e-mail", "User Email"
            return known[rest]
        numbers = _NUMBER.findall(key)
        if numbers:
            bare = " ".join(_NUMBER.sub(" ", key).split())
            target, rank = known.get(bare) or fallback.get(bare) or (None, 0)
            if target is not None:
                return target, rank + 100 * min(int(numbers[0]), 50)
        return None


LEADS = Spellings(SYNONYMS, FALLBACKS)
recognise = LEADS.recognise  # a lead's field
