"""Enough geography to recognise "City, Region" and "City, Country" and to read a national
phone number: US states, Canadian provinces, Australian states, and countries (English and
native names) with their ISO 3166 codes."""

from __future__ import annotations

US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "PR",
    ]
)
CA_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)
AU_STATES = frozenset(["NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT"])

US_STATE_NAMES = frozenset(
    ["alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming"]
) | {
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
    "rhode island", "south carolina", "south dakota", "west virginia", "district of columbia",
}  # fmt: skip
OTHER_REGIONS = frozenset(
    [
        "ontario",
        "quebec",
        "québec",
        "alberta",
        "manitoba",
        "saskatchewan",
        "nova",
        "scotia",
        "new",
        "brunswick",
        "bavaria",
        "bayern",
        "hesse",
        "hessen",
        "saxony",
        "catalonia",
        "catalunya",
        "andalusia",
        "england",
        "scotland",
        "wales",
        "northern",
        "ireland",
        "queensland",
        "victoria",
        "tasmania",
        "île-de-france",
        "ile-de-france",
        "lombardy",
        "lombardia",
        "maharashtra",
        "karnataka",
        "tamil",
        "nadu",
        "kerala",
        "telangana",
        "gujarat",
        "punjab",
    ]
) | {"british columbia", "new south wales", "western australia", "south australia"}

COUNTRIES = {
    "united states": "US", "usa": "US", "u.s.a.": "US", "us": "US", "united states of america": "US",
    "canada": "CA", "mexico": "MX", "brazil": "BR", "brasil": "BR", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "united kingdom": "GB", "uk": "GB", "u.k.": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "ireland": "IE",
    "germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT", "switzerland": "CH",
    "schweiz": "CH", "suisse": "CH", "france": "FR", "belgium": "BE", "belgique": "BE",
    "netherlands": "NL", "the netherlands": "NL", "nederland": "NL", "luxembourg": "LU",
    "spain": "ES", "españa": "ES", "portugal": "PT", "italy": "IT", "italia": "IT",
    "denmark": "DK", "danmark": "DK", "sweden": "SE", "sverige": "SE", "norway": "NO",
    "norge": "NO", "finland": "FI", "suomi": "FI", "iceland": "IS", "poland": "PL", "polska": "PL",
    "czech republic": "CZ", "czechia": "CZ", "česko": "CZ", "slovakia": "SK", "hungary": "HU",
    "romania": "RO", "bulgaria": "BG", "greece": "GR", "turkey": "TR", "türkiye": "TR",
    "ukraine": "UA", "russia": "RU", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "croatia": "HR", "serbia": "RS", "slovenia": "SI", "israel": "IL", "egypt": "EG",
    "south africa": "ZA", "nigeria": "NG", "kenya": "KE", "ghana": "GH", "morocco": "MA",
    "united arab emirates": "AE", "uae": "AE", "saudi arabia": "SA", "qatar": "QA",
    "india": "IN", "pakistan": "PK", "bangladesh": "BD", "sri lanka": "LK", "nepal": "NP",
    "china": "CN", "hong kong": "HK", "taiwan": "TW", "japan": "JP", "south korea": "KR",
    "korea": "KR", "singapore": "SG", "malaysia": "MY", "indonesia": "ID", "philippines": "PH",
    "vietnam": "VN", "cyprus": "CY", "malta": "MT", "jordan": "JO",
    "lebanon": "LB", "tunisia": "TN", "algeria": "DZ", "ethiopia": "ET", "uganda": "UG",
    "tanzania": "TZ", "rwanda": "RW", "senegal": "SN", "cameroon": "CM", "zimbabwe": "ZW",
    "ecuador": "EC", "venezuela": "VE", "uruguay": "UY", "paraguay": "PY", "bolivia": "BO",
    "costa rica": "CR", "panama": "PA", "guatemala": "GT", "dominican republic": "DO",
    "puerto rico": "PR", "jamaica": "JM", "kuwait": "KW", "bahrain": "BH", "oman": "OM",
    "iran": "IR", "iraq": "IQ", "kazakhstan": "KZ", "georgia (country)": "GE", "armenia": "AM",
    "azerbaijan": "AZ", "belarus": "BY", "moldova": "MD", "bosnia and herzegovina": "BA",
    "north macedonia": "MK", "albania": "AL", "montenegro": "ME", "myanmar": "MM",
    "cambodia": "KH", "laos": "LA", "mongolia": "MN", "macau": "MO", "brunei": "BN",
    "fiji": "FJ", "papua new guinea": "PG", "mauritius": "MU", "namibia": "NA",
    "botswana": "BW", "zambia": "ZM", "mozambique": "MZ", "angola": "AO",
    "ivory coast": "CI", "côte d'ivoire": "CI", "liechtenstein": "LI", "monaco": "MC",
    "scotland, uk": "GB", "viet nam": "VN", "thailand": "TH", "australia": "AU", "new zealand": "NZ",
}  # fmt: skip


def region_code(location: str) -> str:
    """The ISO country code a location string points to ("Austin, TX" -> "US"), or ""."""
    parts = [part.strip() for part in location.split(",") if part.strip()]
    if not parts:
        return ""
    last = parts[-1]
    lowered = last.lower()
    if lowered in COUNTRIES:
        return COUNTRIES[lowered]
    bare = last.split()[0] if last.split() else last
    if bare in US_STATES or lowered in US_STATE_NAMES:
        return "US"
    if bare in CA_PROVINCES or lowered in {
        "ontario",
        "quebec",
        "québec",
        "alberta",
        "british columbia",
    }:
        return "CA"
    if bare in AU_STATES or lowered in {"new south wales", "queensland", "victoria"}:
        return "AU"
    return ""


def is_region(text: str) -> bool:
    """A state, province or country, as written after a city."""
    text = text.strip()
    bare = text.split()[0] if text.split() else text
    lowered = text.lower()
    return (
        bare in US_STATES
        or bare in CA_PROVINCES
        or bare in AU_STATES
        or lowered in COUNTRIES
        or lowered in US_STATE_NAMES
        or lowered in OTHER_REGIONS
    )
