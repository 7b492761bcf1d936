"""The fixed vocabularies of a country entry.

Every choice field is backed by a CheckConstraint on its model (see models.py), because Django
enforces `choices` only in forms and `full_clean()`, not in the database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """UN M49 sub-regions, keyed by their M49 code (the standard, stable identifier)."""

    NORTHERN_AFRICA = "015", _("Northern Africa")
    SUB_SAHARAN_AFRICA = "202", _("Sub-Saharan Africa")
    LATIN_AMERICA_AND_CARIBBEAN = "419", _("Latin America and the Caribbean")
    NORTHERN_AMERICA = "021", _("Northern America")
    CENTRAL_ASIA = "143", _("Central Asia")
    EASTERN_ASIA = "030", _("Eastern Asia")
    SOUTH_EASTERN_ASIA = "035", _("South-eastern Asia")
    SOUTHERN_ASIA = "034", _("Southern Asia")
    WESTERN_ASIA = "145", _("Western Asia")
    EASTERN_EUROPE = "151", _("Eastern Europe")
    NORTHERN_EUROPE = "154", _("Northern Europe")
    SOUTHERN_EUROPE = "039", _("Southern Europe")
    WESTERN_EUROPE = "155", _("Western Europe")
    AUSTRALIA_AND_NEW_ZEALAND = "053", _("Australia and New Zealand")
    MELANESIA = "054", _("Melanesia")
    MICRONESIA = "057", _("Micronesia")
    POLYNESIA = "061", _("Polynesia")


class Protection(models.TextChoices):
    """Whether the law gives a protection (an ISP safe harbor, net neutrality)."""

    YES = "yes", _("Yes")
    PARTIAL = "partial", _("Partial")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Topic(models.TextChoices):
    """What a constitutional article is quoted for."""

    SPEECH = "speech", _("Freedom of speech")
    PRIVACY = "privacy", _("Privacy")
    INFORMATION = "information", _("Access to information")


class Action(models.TextChoices):
    """What was done to a website."""

    BLOCKED = "blocked", _("Blocked")
    THROTTLED = "throttled", _("Throttled")
    # Sources often report "blocking and throttling" of a list of sites without saying which.
    BLOCKED_OR_THROTTLED = "blocked_or_throttled", _("Blocked or throttled")


class Review(models.TextChoices):
    """Whether an editor has confirmed a listed site as blocked or throttled.

    A row of a Citizen Lab test list is a URL *to test*, not a finding: imported rows are
    candidates, public only once an editor confirms them; a dismissed one stays dismissed
    when the list is imported again.
    """

    CONFIRMED = "confirmed", _("Confirmed")
    CANDIDATE = "candidate", _("Candidate: to triage")
    DISMISSED = "dismissed", _("Dismissed")


class Licence(models.TextChoices):
    """The licences sources publish data under (a download states the ones that apply)."""

    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_NC_SA_4 = (
        "CC-BY-NC-SA-4.0",
        _("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 (CC BY-NC-SA 4.0)"),
    )
    CC0 = "CC0-1.0", _("Public domain dedication (CC0 1.0)")

    @property
    def url(self):
        return LICENCE_URLS[self]


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class SiteStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    LIFTED = "lifted", _("Lifted")
    REPORTED = "reported", _("Reported")


class Category(models.TextChoices):
    """Citizen Lab test-list categories (the vocabulary OONI and researchers use)."""

    ALDR = "ALDR", _("Alcohol & Drugs")
    REL = "REL", _("Religion")
    PORN = "PORN", _("Pornography")
    PROV = "PROV", _("Provocative Attire")
    POLR = "POLR", _("Political Criticism")
    HUMR = "HUMR", _("Human Rights Issues")
    ENV = "ENV", _("Environment")
    MILX = "MILX", _("Terrorism and Militants")
    HATE = "HATE", _("Hate Speech")
    NEWS = "NEWS", _("News Media")
    XED = "XED", _("Sex Education")
    PUBH = "PUBH", _("Public Health")
    GMB = "GMB", _("Gambling")
    ANON = "ANON", _("Anonymization and circumvention tools")
    DATE = "DATE", _("Online Dating")
    GRP = "GRP", _("Social Networking")
    LGBT = "LGBT", _("LGBT")
    FILE = "FILE", _("File-sharing")
    HACK = "HACK", _("Hacking Tools")
    COMT = "COMT", _("Communication Tools")
    MMED = "MMED", _("Media sharing")
    HOST = "HOST", _("Hosting and Blogging Platforms")
    SRCH = "SRCH", _("Search Engines")
    GAME = "GAME", _("Gaming")
    CULTR = "CULTR", _("Culture")
    ECON = "ECON", _("Economics")
    GOVT = "GOVT", _("Government")
    COMM = "COMM", _("E-commerce")
    CTRL = "CTRL", _("Control content")
    IGO = "IGO", _("Intergovernmental Organizations")
    MISC = "MISC", _("Miscellaneous content")


LEGACY_CATEGORY_CODES = {
    "POLT": Category.POLR,
    "MINR": Category.HUMR,
    "WOMR": Category.HUMR,
    "MINF": Category.HUMR,
    "FEXP": Category.NEWS,
    "SELFHARM": Category.PUBH,
    "GAYL": Category.LGBT,
    "P2P": Category.FILE,
    "SFTWR": Category.FILE,
    "WRZ": Category.FILE,
    "VOIP": Category.COMT,
    "EMAIL": Category.COMT,
    "TRNS": Category.COMT,
    "MSG": Category.COMT,
    "BLGSERV": Category.HOST,
    "CLOUD": Category.HOST,
    "HAL": Category.CULTR,
    "DEV": Category.ECON,
    "FREL": Category.GOVT,
    "USMIL": Category.GOVT,
    "CACH": Category.CTRL,
    "KWRD": Category.MISC,
}


class MetricKind(models.TextChoices):
    """What a metric measures; the kind fixes the unit and the range of the value."""

    INTERNET_USERS = "internet_users", _("Internet users")
    INTERNET_PENETRATION = "internet_penetration", _("Internet penetration")
    FIXED_BROADBAND_SUBSCRIPTIONS = (
        "fixed_broadband_subscriptions",
        _("Fixed broadband subscriptions"),
    )

    @property
    def is_percentage(self):
        return self in PERCENTAGE_KINDS

    @property
    def unit(self):
        return METRIC_UNITS[self]


PERCENTAGE_KINDS = frozenset({MetricKind.INTERNET_PENETRATION})
METRIC_UNITS = {
    MetricKind.INTERNET_USERS: _("users"),
    # xgettext:no-python-format
    MetricKind.INTERNET_PENETRATION: _("% of the population"),
    MetricKind.FIXED_BROADBAND_SUBSCRIPTIONS: _("subscriptions"),
}


# Which UN M49 sub-region each ISO 3166-1 country belongs to (the editor's form suggests it).
M49_MEMBERS = {
    Region.NORTHERN_AFRICA: "DZ EG EH LY MA SD TN",
    Region.SUB_SAHARAN_AFRICA: (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW IO KE KM LR LS MG ML MR MU "
        "MW MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TF TG TZ UG YT ZA ZM ZW"
    ),
    Region.LATIN_AMERICA_AND_CARIBBEAN: (
        "AG AI AR AW BB BL BO BQ BR BS BV BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT "
        "JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
    ),
    Region.NORTHERN_AMERICA: "BM CA GL PM US",
    Region.CENTRAL_ASIA: "KG KZ TJ TM UZ",
    Region.EASTERN_ASIA: "CN HK JP KP KR MN MO TW",
    Region.SOUTH_EASTERN_ASIA: "BN ID KH LA MM MY PH SG TH TL VN",
    Region.SOUTHERN_ASIA: "AF BD BT IN IR LK MV NP PK",
    Region.WESTERN_ASIA: "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    Region.EASTERN_EUROPE: "BG BY CZ HU MD PL RO RU SK UA",
    Region.NORTHERN_EUROPE: "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ",
    Region.SOUTHERN_EUROPE: "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    Region.WESTERN_EUROPE: "AT BE CH DE FR LI LU MC NL",
    Region.AUSTRALIA_AND_NEW_ZEALAND: "AU CC CX HM NF NZ",
    Region.MELANESIA: "FJ NC PG SB VU",
    Region.MICRONESIA: "FM GU KI MH MP NR PW UM",
    Region.POLYNESIA: "AS CK NU PF PN TK TO TV WF WS",
}
REGION_OF_COUNTRY = {
    code: region for region, codes in M49_MEMBERS.items() for code in codes.split()
}
