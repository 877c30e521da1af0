"""Files built in the shape other tools export them: their whole header, their delimiter,
their encoding, their line ends and the lines they write above the header.

A ``Shape`` says which of the tool's columns holds each part of a person (``PARTS``); ``build``
writes people into it, every other column left empty as the tools leave them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

PARTS = ("first", "middle", "last", "name", "company", "title", "email", "work", "mobile",
         "home", "country", "notes", "source")  # fmt: skip


@dataclass(frozen=True)
class Shape:
    tool: str
    columns: tuple[str, ...]  # the tool's header, in its order
    parts: dict[str, str]  # part (PARTS) → the column holding it
    delimiter: str = ","
    encoding: str = "utf-8"
    newline: str = "\r\n"
    preamble: str = ""  # lines above the header, as the tool writes them
    filler: dict[str, str] = field(default_factory=dict)  # column → what the tool puts there

    def build(self, people: list[dict[str, str]]) -> bytes:
        """The file's bytes with these people, one row each, in this shape."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator=self.newline)
        writer.writerow(self.columns)
        for person in people:
            row = dict.fromkeys(self.columns, "") | self.filler
            for part, value in person.items():
                if part in self.parts:
                    row[self.parts[part]] = value
            writer.writerow([row[c] for c in self.columns])
        text = self.preamble.replace("\n", self.newline) + out.getvalue()
        return text.encode(self.encoding)


def outlook(tool: str, columns: str, parts: str, delimiter: str, encoding: str) -> Shape:
    """An Outlook export in one language: ``parts`` names, in PARTS order, the columns that
    hold them (``first=Vorname|last=Nachname|…``)."""
    named = dict(pair.split("=", 1) for pair in parts.split("|"))
    return Shape(tool, tuple(columns.split("|")), named, delimiter, encoding)


OUTLOOK_DE = outlook(
    "Outlook 2013 (de)",
    "Anrede|Vorname|Weitere Vornamen|Nachname|Namenszusatz|Firma|Abteilung|Position|"
    "Straße geschäftlich|Ort geschäftlich|Region geschäftlich|Postleitzahl geschäftlich|"
    "Land/Region geschäftlich|Telefon geschäftlich|Telefon geschäftlich 2|Mobiltelefon|"
    "Telefon privat|Weiteres Telefon|E-Mail-Adresse|E-Mail-Typ|E-Mail: Angezeigter Name|"
    "E-Mail 2: Adresse|Kategorien|Konto|Notizen|Beruf|Name Assistent",
    "first=Vorname|middle=Weitere Vornamen|last=Nachname|company=Firma|title=Position|"
    "email=E-Mail-Adresse|work=Telefon geschäftlich|mobile=Mobiltelefon|home=Telefon privat|"
    "country=Land/Region geschäftlich|notes=Notizen",
    ";",
    "cp1252",
)
OUTLOOK_FR = outlook(
    "Outlook (fr)",
    "Titre|Prénom|Deuxième prénom|Nom|Suffixe|Société|Service|Fonction|Rue (bureau)|"
    "Ville (bureau)|Pays/Région (bureau)|Téléphone bureau|Téléphone domicile|Tél. mobile|"
    "Adresse de messagerie|Type de messagerie|Nom complet de l'adresse de messagerie|"
    "Catégories|Notes",
    "first=Prénom|middle=Deuxième prénom|last=Nom|company=Société|title=Fonction|"
    "email=Adresse de messagerie|work=Téléphone bureau|mobile=Tél. mobile|"
    "home=Téléphone domicile|country=Pays/Région (bureau)|notes=Notes",
    ";",
    "utf-8-sig",
)
OUTLOOK_IT = outlook(
    "Outlook (it)",
    "Titolo|Nome|Secondo nome|Cognome|Titolo accademico|Società|Reparto|Posizione|Via (uff.)|"
    "Città (uff.)|Paese/area geografica (uff.)|Telefono ufficio|Telefono abitazione|"
    "Cellulare|Indirizzo posta elettronica|Categorie|Note",
    "first=Nome|middle=Secondo nome|last=Cognome|company=Società|title=Posizione|"
    "email=Indirizzo posta elettronica|work=Telefono ufficio|mobile=Cellulare|"
    "home=Telefono abitazione|country=Paese/area geografica (uff.)|notes=Note",
    ";",
    "cp1252",
)
OUTLOOK_PT = outlook(
    "Outlook (pt-PT)",
    "Título|Nome próprio|Segundo nome|Apelido|Sufixo|Empresa|Departamento|Cargo|"
    "Rua (empresa)|Cidade (empresa)|País/Região (empresa)|Telefone comercial|"
    "Telefone residencial|Telemóvel|Endereço de correio eletrónico|Categorias|Notas",
    "first=Nome próprio|middle=Segundo nome|last=Apelido|company=Empresa|title=Cargo|"
    "email=Endereço de correio eletrónico|work=Telefone comercial|mobile=Telemóvel|"
    "home=Telefone residencial|country=País/Região (empresa)|notes=Notas",
    ";",
    "utf-8-sig",
)
OUTLOOK_BR = outlook(
    "Outlook (pt-BR)",
    "Tratamento|Nome|Segundo Nome|Sobrenome|Apelido|Empresa|Departamento|Cargo|"
    "Telefone comercial|Telefone residencial|Celular|Endereço de email|País/Região|Observações",
    "first=Nome|middle=Segundo Nome|last=Sobrenome|company=Empresa|title=Cargo|"
    "email=Endereço de email|work=Telefone comercial|mobile=Celular|home=Telefone residencial|"
    "country=País/Região|notes=Observações",
    ";",
    "cp1252",
)
OUTLOOK_NL = outlook(
    "Outlook (nl)",
    "Aanhef|Voornaam|Middelste naam|Achternaam|Achtervoegsel|Bedrijf|Afdeling|Functie|"
    "Plaats (werk)|Land/regio (werk)|Telefoon op werk|Telefoon thuis|Mobiele telefoon|"
    "E-mailadres|Categorieën|Notities",
    "first=Voornaam|middle=Middelste naam|last=Achternaam|company=Bedrijf|title=Functie|"
    "email=E-mailadres|work=Telefoon op werk|mobile=Mobiele telefoon|home=Telefoon thuis|"
    "country=Land/regio (werk)|notes=Notities",
    ";",
    "cp1252",
)
GOOGLE_OLD = outlook(
    "Google Contacts (Given Name)",
    "Name|Given Name|Additional Name|Family Name|Yomi Name|Given Name Yomi|Name Prefix|"
    "Name Suffix|Initials|Nickname|Short Name|Birthday|Gender|Location|Occupation|Notes|"
    "Group Membership|E-mail 1 - Type|E-mail 1 - Value|Phone 1 - Type|Phone 1 - Value|"
    "Phone 2 - Type|Phone 2 - Value|Phone 3 - Type|Phone 3 - Value|Address 1 - Type|"
    "Address 1 - City|Address 1 - Country|Organization 1 - Type|Organization 1 - Name|"
    "Organization 1 - Title",
    "name=Name|first=Given Name|middle=Additional Name|last=Family Name|notes=Notes|"
    "email=E-mail 1 - Value|work=Phone 1 - Value|mobile=Phone 2 - Value|home=Phone 3 - Value|"
    "country=Address 1 - Country|company=Organization 1 - Name|title=Organization 1 - Title",
    ",",
    "utf-8",
)
GOOGLE_NEW = outlook(
    "Google Contacts (First Name)",
    "First Name|Middle Name|Last Name|Phonetic First Name|Phonetic Middle Name|"
    "Phonetic Last Name|Name Prefix|Name Suffix|Nickname|File As|Organization Name|"
    "Organization Title|Organization Department|Birthday|Notes|Photo|Labels|E-mail 1 - Label|"
    "E-mail 1 - Value|Phone 1 - Label|Phone 1 - Value|Phone 2 - Label|Phone 2 - Value|"
    "Phone 3 - Label|Phone 3 - Value|Address 1 - Label|Address 1 - Country",
    "first=First Name|middle=Middle Name|last=Last Name|company=Organization Name|"
    "title=Organization Title|notes=Notes|email=E-mail 1 - Value|work=Phone 1 - Value|"
    "mobile=Phone 2 - Value|home=Phone 3 - Value|country=Address 1 - Country",
    ",",
    "utf-8",
)
HUBSPOT = outlook(
    "HubSpot",
    "Record ID|First Name|Last Name|Email|Phone Number|Mobile Phone Number|Company Name|"
    "Job Title|Country/Region|City|Lifecycle Stage|Lead Status|Original Source|Create Date|"
    "Contact owner",
    "first=First Name|last=Last Name|email=Email|work=Phone Number|mobile=Mobile Phone Number|"
    "company=Company Name|title=Job Title|country=Country/Region|source=Original Source",
    ",",
    "utf-8",
)
SALESFORCE = outlook(
    "Salesforce",
    "Lead ID|Salutation|First Name|Last Name|Title|Company|Email|Phone|Mobile|Lead Source|"
    "Lead Status|Rating|Country|City|Description",
    "first=First Name|last=Last Name|title=Title|company=Company|email=Email|work=Phone|"
    "mobile=Mobile|source=Lead Source|country=Country|notes=Description",
    ",",
    "utf-8",
)
ZOOM = Shape(
    "Zoom participant report",
    ("Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)",
     "Guest", "Recording Consent", "In Waiting Room"),
    {"name": "Name (Original Name)", "email": "User Email"},
    preamble=(
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,\n"
        '812 3456 7890,Weekly demo,12/07/2026 10:00:00 AM,12/07/2026 11:02:00 AM,'
        "host@ourco.example.com,62,4,\n\n"
    ),
    filler={"Guest": "Yes", "In Waiting Room": "No", "Join Time": "12/07/2026 10:01:12 AM",
            "Duration (Minutes)": "12"},
)  # fmt: skip
EVENTBRITE = outlook(
    "Eventbrite attendees",
    "Order #|Order Date|First Name|Last Name|Email|Quantity|Ticket Type|Attendee #|"
    "Buyer First Name|Buyer Last Name|Buyer Email|Company|Job Title|Work Phone|Cell Phone|"
    "Attendee Status",
    "first=First Name|last=Last Name|email=Email|company=Company|title=Job Title|"
    "work=Work Phone|mobile=Cell Phone",
    ",",
    "utf-8",
)
EVENTBRITE_ORDERS = outlook(
    "Eventbrite orders (the buyer only)",
    "Order #|Order Date|Buyer First Name|Buyer Last Name|Buyer Email|Quantity|Total Paid",
    "first=Buyer First Name|last=Buyer Last Name|email=Buyer Email",
    ",",
    "utf-8",
)
LUMA = outlook(
    "Luma guests",
    "api_id|name|first_name|last_name|email|phone_number|created_at|approval_status|"
    "checked_in_at|custom_source|qr_code_url|amount|currency|ticket_name|"
    "What company are you with?|Job title",
    "name=name|first=first_name|last=last_name|email=email|work=phone_number|"
    "source=custom_source|title=Job title",
    ",",
    "utf-8",
)
MEETUP = outlook(
    "Meetup RSVPs",
    "Name|User ID|Title|Event Host|RSVP|Guests|RSVPed on|Joined Group on|"
    "URL of Member Profile|Location|Intro",
    "name=Name|notes=Intro",
    ",",
    "utf-8",
)
BREVO = outlook(
    "Brevo (fr)",
    "CONTACT ID|EMAIL|NOM|PRENOM|SMS|SOCIETE|FONCTION|DOUBLE_OPT-IN|BLACKLIST",
    "email=EMAIL|last=NOM|first=PRENOM|mobile=SMS|company=SOCIETE|title=FONCTION",
    ";",
    "utf-8",
)
EVENT_OLD_MAC = Shape(
    "an event tool's attendee list, old-Mac line ends",
    ("Attendee Name", "Attendee Email", "Ticket", "Organisation"),
    {"name": "Attendee Name", "email": "Attendee Email", "company": "Organisation"},
    newline="\r",
)
LINKEDIN = Shape(
    "LinkedIn connections",
    ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"),
    {"first": "First Name", "last": "Last Name", "email": "Email Address", "company": "Company",
     "title": "Position"},
    newline="\n",
    preamble=(
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email addresses '
        "are missing. You will only see email addresses for connections who have allowed their "
        'connections to see or download their email address."\n\n'
    ),
)  # fmt: skip

OUTLOOKS = (OUTLOOK_DE, OUTLOOK_FR, OUTLOOK_IT, OUTLOOK_PT, OUTLOOK_BR, OUTLOOK_NL)
SHAPES = (*OUTLOOKS, GOOGLE_OLD, GOOGLE_NEW, HUBSPOT, SALESFORCE, ZOOM, EVENTBRITE,
          EVENTBRITE_ORDERS, LUMA, MEETUP, BREVO, EVENT_OLD_MAC, LINKEDIN)  # fmt: skip
