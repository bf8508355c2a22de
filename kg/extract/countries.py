"""Built-in world knowledge about countries: common names, short forms and demonyms.

This is general knowledge, not a list of firms: it lets the extractor tie "Turkish"
to Türkiye and "Britain" to the United Kingdom even when the reference base holds
no countries. Keys are ISO 3166-1 alpha-3 codes; the canonical name comes from the
reference base when it has the country, else from :mod:`pycountry` (or the override).
"""

from __future__ import annotations

import pycountry

# Preferred English names where pycountry's formal name is not what news text uses.
CANONICAL = {
    "RUS": "Russia",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "IRN": "Iran",
    "SYR": "Syria",
    "VNM": "Vietnam",
    "TWN": "Taiwan",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "MDA": "Moldova",
    "LAO": "Laos",
    "CZE": "Czech Republic",
    "GBR": "United Kingdom",
    "USA": "United States",
}

ALIASES = {
    "TUR": ["Turkey", "Türkiye", "Turkiye", "Republic of Türkiye"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "USA": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "KOR": ["South Korea", "Republic of Korea", "ROK", "Korea"],
    "PRK": ["North Korea", "DPRK"],
    "RUS": ["Russia", "Russian Federation"],
    "ARE": ["UAE", "United Arab Emirates", "Emirates"],
    "CZE": ["Czechia", "Czech Republic"],
    "NLD": ["the Netherlands", "Holland"],
    "CHN": ["China", "PRC"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "TWN": ["Taiwan"],
    "VNM": ["Vietnam"],
}

DEMONYMS = {
    "AFG": ["Afghan"],
    "ALB": ["Albanian"],
    "DZA": ["Algerian"],
    "ARG": ["Argentine", "Argentinian"],
    "ARM": ["Armenian"],
    "AUS": ["Australian"],
    "AUT": ["Austrian"],
    "AZE": ["Azerbaijani", "Azeri"],
    "BHR": ["Bahraini"],
    "BGD": ["Bangladeshi"],
    "BLR": ["Belarusian"],
    "BEL": ["Belgian"],
    "BRA": ["Brazilian"],
    "BGR": ["Bulgarian"],
    "CAN": ["Canadian"],
    "CHL": ["Chilean"],
    "CHN": ["Chinese"],
    "COL": ["Colombian"],
    "HRV": ["Croatian"],
    "CZE": ["Czech"],
    "DNK": ["Danish"],
    "EGY": ["Egyptian"],
    "EST": ["Estonian"],
    "FIN": ["Finnish"],
    "FRA": ["French"],
    "GEO": ["Georgian"],
    "DEU": ["German"],
    "GRC": ["Greek"],
    "HUN": ["Hungarian"],
    "IND": ["Indian"],
    "IDN": ["Indonesian"],
    "IRN": ["Iranian"],
    "IRQ": ["Iraqi"],
    "IRL": ["Irish"],
    "ISR": ["Israeli"],
    "ITA": ["Italian"],
    "JPN": ["Japanese"],
    "JOR": ["Jordanian"],
    "KAZ": ["Kazakh", "Kazakhstani"],
    "KWT": ["Kuwaiti"],
    "LVA": ["Latvian"],
    "LBN": ["Lebanese"],
    "LBY": ["Libyan"],
    "LTU": ["Lithuanian"],
    "MYS": ["Malaysian"],
    "MEX": ["Mexican"],
    "MAR": ["Moroccan"],
    "NLD": ["Dutch"],
    "NZL": ["New Zealand"],
    "NGA": ["Nigerian"],
    "NOR": ["Norwegian"],
    "OMN": ["Omani"],
    "PAK": ["Pakistani"],
    "PHL": ["Philippine", "Filipino"],
    "POL": ["Polish"],
    "PRT": ["Portuguese"],
    "QAT": ["Qatari"],
    "ROU": ["Romanian"],
    "RUS": ["Russian"],
    "SAU": ["Saudi"],
    "SRB": ["Serbian"],
    "SGP": ["Singaporean"],
    "SVK": ["Slovak", "Slovakian"],
    "SVN": ["Slovenian"],
    "ZAF": ["South African"],
    "KOR": ["South Korean", "Korean"],
    "PRK": ["North Korean"],
    "ESP": ["Spanish"],
    "SWE": ["Swedish"],
    "CHE": ["Swiss"],
    "SYR": ["Syrian"],
    "TWN": ["Taiwanese"],
    "THA": ["Thai"],
    "TUN": ["Tunisian"],
    "TUR": ["Turkish"],
    "TKM": ["Turkmen"],
    "UKR": ["Ukrainian"],
    "ARE": ["Emirati"],
    "GBR": ["British", "UK"],
    "USA": ["American", "US", "U.S."],
    "UZB": ["Uzbek"],
    "VNM": ["Vietnamese"],
    "YEM": ["Yemeni"],
    "SDN": ["Sudanese"],
    "ETH": ["Ethiopian"],
    "KEN": ["Kenyan"],
    "PER": ["Peruvian"],
    "ECU": ["Ecuadorian"],
    "VEN": ["Venezuelan"],
    "CYP": ["Cypriot"],
    "MLT": ["Maltese"],
    "LUX": ["Luxembourgish"],
    "ISL": ["Icelandic"],
    "MNG": ["Mongolian"],
    "KGZ": ["Kyrgyz"],
    "TJK": ["Tajik"],
}

# Names pycountry holds that collide with ordinary words or people in news text.
_SKIP_NAMES = {
    "Jersey",
    "Chad",
    "Georgia",
    "Jordan",
    "Guinea",
    "Niger",
    "Turkey",
    "Congo",
    "Dominica",
    "Iran, Islamic Republic of",
}


def builtin_countries() -> dict[str, tuple[str, list[str], list[str]]]:
    """alpha-3 → (canonical name, names, demonyms)."""
    out: dict[str, tuple[str, list[str], list[str]]] = {}
    for c in pycountry.countries:
        code = c.alpha_3
        canonical = CANONICAL.get(code) or getattr(c, "common_name", None) or c.name
        names = {canonical, c.name}
        for attr in ("common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(value)
        names |= set(ALIASES.get(code, ()))
        names = {n for n in names if "," not in n and "(" not in n}
        # Georgia and Jordan are real states; keep them, but only in their plain spelling.
        names = {
            n for n in names if n not in _SKIP_NAMES or n in ALIASES.get(code, ()) or n in {"Georgia", "Jordan", "Chad"}
        }
        out[code] = (canonical, sorted(names), list(DEMONYMS.get(code, ())))
    return out
