"""The shape of every rule file in ``tollstream/data``: validated when a file is loaded.

A typo in a key, a missing list or a number where a word belongs stops the process at
start-up with every fault of the file listed, instead of surfacing as a ``KeyError``
deep inside extraction. Models forbid unknown keys; word lists must be non-empty
where the code relies on them. Values are returned to the code as the plain data the
file holds, so the modules that read rules are unchanged by validation.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Words = list[str]
NonEmpty = Field(min_length=1)
Kind = Literal["killed", "injured", "abducted", "missing"]
Group = Literal["civilians", "security", "militants", "total"]
Authority = Literal["official", "perpetrator", "medical", "media", "unknown"]


class Rules(BaseModel):
    """Base of every rule file: no unknown key, nothing changed after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Rules):
    role: str = Field(min_length=1)
    authority: Authority
    phrases: Words = NonEmpty


class Attribution(Rules):
    speech: Words = NonEmpty
    speech_before: Words = NonEmpty
    sources: list[Source] = NonEmpty


class Background(Rules):
    distant_days: int = Field(gt=0)
    apart_days: int = Field(ge=0)
    sequels: Words = NonEmpty
    link_lines: Words = NonEmpty
    headline_words: int = Field(gt=0)
    headline_capitals: float = Field(gt=0, le=1)
    periods: Words = NonEmpty
    period_units: Words = NonEmpty
    many: Words = NonEmpty
    tallies: Words = NonEmpty
    superlatives: Words = NonEmpty
    concurrent: Words = NonEmpty
    combined: Words = NonEmpty
    markers: Words = NonEmpty
    incidents: Words = NonEmpty
    recounting: Words = NonEmpty
    out_of_scope_types: Words = NonEmpty


class Lines(Rules):
    banner: Words
    debris: Words
    prefixes: Words
    suffixes: Words
    captions: Words
    tail: Words


class Cleaning(Rules):
    agencies: Words = NonEmpty
    characters: dict[str, str]
    mojibake: dict[str, str]
    lines: Lines


class Corrections(Rules):
    before_number: Words = NonEmpty
    in_sentence: Words = NonEmpty
    in_article: Words = NonEmpty


class Dates(Rules):
    weekdays: Words = Field(min_length=7, max_length=7)
    weekday_lead: Words
    month_lead: Words
    year_lead: Words
    year_not_before: Words
    months: dict[str, Words] = Field(min_length=12, max_length=12)
    month_parts: dict[str, tuple[int, int]]
    relative_days: dict[str, tuple[int, int]]
    relative_years: dict[str, int]
    spans: dict[str, float]
    counts: dict[str, int]


class Facts(Rules):
    attach_chars: int = Field(gt=0)
    context_chars: int = Field(gt=0)
    speech: Words = NonEmpty
    updates: Words = NonEmpty
    treatment: Words = NonEmpty
    incident_words: Words = NonEmpty
    as_of: Words = NonEmpty
    sequel_links: Words = NonEmpty
    place_preps: Words = NonEmpty
    max_names: int = Field(gt=0)
    common_capitalised: Words = NonEmpty


class IncidentType(Rules):
    words: Words = NonEmpty


class IncidentTypes(Rules):
    min_share: float = Field(gt=0, le=1)
    specificity: Words = NonEmpty
    neutral: Words
    types: dict[str, IncidentType] = NonEmpty


class NumberWords(Rules):
    units: dict[str, int] = NonEmpty
    tens: dict[str, int] = NonEmpty
    dozen: dict[str, int] = NonEmpty
    vague: dict[str, int] = NonEmpty


class Qualifiers(Rules):
    at_least: Words = NonEmpty
    more_than: Words = NonEmpty
    about: Words = NonEmpty
    up_to: Words = NonEmpty
    exact: Words = NonEmpty


class Bounds(Rules):
    below: Words
    about_percent: int = Field(ge=0, le=100)


class Numbers(Rules):
    words: NumberWords
    qualifiers: Qualifiers
    bounds: Bounds


class ArmedGroup(Rules):
    aliases: Words = NonEmpty
    part_of: str | None = None


class Claims(Rules):
    phrases: Words = NonEmpty
    acts: Words = NonEmpty
    passive: Words = NonEmpty
    negations: Words = NonEmpty
    suspicions: Words = NonEmpty


class Perpetrators(Rules):
    groups: dict[str, ArmedGroup] = NonEmpty
    claims: Claims


class Region(Rules):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    admin1: str = Field(min_length=1)
    variants: Words = []
    districts: dict[str, Words] = {}
    towns: dict[str, Words] = {}
    within: dict[str, str] = {}


class PlaceSettings(Rules):
    min_population: int = Field(gt=0)
    min_population_sentence_start: int = Field(gt=0)
    min_length: int = Field(gt=0)
    alternate_population: int = Field(gt=0)
    alternate_length: int = Field(gt=0)
    foreign_population: int = Field(gt=0)
    min_parent_population: int = Field(gt=0)
    parent_ratio: float = Field(gt=1)
    urban_density_km2: float = Field(gt=0)
    max_city_radius_km: float = Field(gt=0)
    admin1_nouns: Words
    generic_admin1: Words
    need_context: Words
    place_preps: Words = NonEmpty
    place_nouns: Words = NonEmpty
    stop_names: Words
    run_leads: Words
    run_tails: Words
    person_after: Words


class Places(Rules):
    countries: dict[str, Words]
    settings: PlaceSettings
    geonames_admin1: dict[str, dict[str, str]]
    region: list[Region]


class Weights(Rules):
    same_day: float
    near_day: float
    far_day: float = Field(le=0)
    undated: float
    no_date: float
    same: float
    nested: float
    sibling: float
    region: float
    named_site: float
    country: float
    no_place: float
    same_perpetrator: float
    same_type: float
    shared_name: float
    same_count: float


class Resolution(Rules):
    threshold: float = Field(gt=0)
    undated_days: int = Field(gt=0)
    date_slack_days: int = Field(ge=0)
    far_days: int = Field(ge=0)
    max_shared_names: int = Field(ge=0)
    distinctive_count: int = Field(ge=1)
    generic_types: Words
    weights: Weights


class Sentences(Rules):
    abbreviations: Words = NonEmpty
    closers: str
    openers: str


class Harm(Rules):
    passive: Words
    active: Words
    nominal: Words
    weak_nominal: Words
    among: Words
    complements: Words = []


class Released(Rules):
    passive: Words = NonEmpty
    active: Words = NonEmpty


class Tolls(Rules):
    killed: Words = NonEmpty
    injured: Words = NonEmpty
    abducted: Words = NonEmpty
    links: Words = NonEmpty
    count_nouns: Words = NonEmpty
    link_qualifiers: dict[str, str]


class Grammar(Rules):
    fillers: Words = NonEmpty
    auxiliaries: Words = NonEmpty
    stops: Words = NonEmpty
    relatives: Words = NonEmpty
    among_links: Words = NonEmpty
    subset_heads: Words = NonEmpty
    increments_before: Words = NonEmpty
    increments_after: Words = NonEmpty
    ages_before: Words = NonEmpty
    singular_determiners: Words = NonEmpty
    definite_victims: Words
    age_units: Words = NonEmpty
    fatally: Words = NonEmpty
    died_after: Words = NonEmpty
    clause_breaks: Words = NonEmpty
    partial_after: Words = NonEmpty
    partial_before: Words = NonEmpty
    joiners: Words = NonEmpty
    exclusions: Words = NonEmpty
    after_harm_joiners: Words = NonEmpty


class Standing(Rules):
    earlier_right_before: Words = NonEmpty
    earlier_near: Words = NonEmpty
    earlier_after: Words = NonEmpty
    feared: Words = NonEmpty
    hypothetical: Words = NonEmpty
    unofficial: Words = NonEmpty


class NonCasualty(Rules):
    combined: Words = NonEmpty
    after: Words = NonEmpty
    recovered_before: Words = NonEmpty


class Victims(Rules):
    grouped_kinds: list[Kind] = NonEmpty
    non_victims: Words = NonEmpty
    demonyms: Words
    mixed: Words
    people_nominals: Words
    harm_heads: Words = NonEmpty
    singulars: Words = NonEmpty
    groups: dict[Group, Words]
    group_modifiers: dict[Group, Words]
    kinds: dict[Kind, Harm]
    released: Released
    tolls: Tolls
    grammar: Grammar
    standing: Standing
    non_casualty: NonCasualty


SCHEMAS: dict[str, type[Rules]] = {
    "attribution": Attribution,
    "background": Background,
    "cleaning": Cleaning,
    "corrections": Corrections,
    "dates": Dates,
    "facts": Facts,
    "incident_types": IncidentTypes,
    "numbers": Numbers,
    "perpetrators": Perpetrators,
    "places": Places,
    "resolution": Resolution,
    "sentences": Sentences,
    "victims": Victims,
}
