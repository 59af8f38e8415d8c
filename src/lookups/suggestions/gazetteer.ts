/**
 * Gazetteer suggestions (regions only): a small built-in table of countries and regional words,
 * each pointing at the area it lies in (`uk` → Europe, `latam` → South America, `australia` →
 * Oceania), and used only for a name the canonical list holds.
 *
 * An area is a list of names it may go by in a canonical list, most specific first: a sample whose
 * regions are `EMEA`, `APAC` and `Americas` gets `france` → EMEA, one with continents gets Europe.
 * Words whose continent is a matter of convention (Egypt, Turkey, Russia) are left out, and a word
 * that spans continents (`emea`, `apac`) names only its own area: a suggestion is never a guess.
 *
 * A raw value matches a table word exactly (after {@linkcode words}), or as a misspelling: within
 * 1 edit of a word of 5 to 7 letters, 2 edits of a longer one (`austalia`, `brasil`), when that
 * word is the only nearest. Shorter words (`uk`, `usa`, `iran`) match exactly only, since almost
 * anything is 2 edits from a 3-letter word.
 */
import { levenshtein } from "../levenshtein.ts";
import { distinct, words } from "./_text.ts";

/** The names an area may go by in a canonical list, most specific first. */
const NORTH_AMERICA = ["North America", "Northern America", "Americas"];
const MEXICO = ["North America", "Latin America", "LATAM", "Americas"];
const SOUTH_AMERICA = ["South America", "Latin America", "LATAM", "Americas"];
const EUROPE = ["Europe", "EMEA"];
const MIDDLE_EAST = ["Middle East", "MENA", "EMEA"];
const AFRICA = ["Africa", "EMEA"];
const ASIA = ["Asia", "APAC", "Asia Pacific"];
const OCEANIA = ["Oceania", "Australasia", "Australia and Oceania", "APAC", "Asia Pacific"];
const AMERICAS = ["Americas"];
const EMEA = ["EMEA", "Europe, Middle East and Africa"];
const APAC = ["APAC", "Asia Pacific"];

/** Table word (as {@linkcode words} spells it, joined by single spaces) → its area's names. */
const GAZETTEER: ReadonlyMap<string, readonly string[]> = new Map(
  ([
    [NORTH_AMERICA, [
      "north america",
      "northern america",
      "noram",
      "usa",
      "us",
      "u s",
      "u s a",
      "united states",
      "united states of america",
      "canada",
    ]],
    [MEXICO, ["mexico"]],
    [SOUTH_AMERICA, [
      "south america",
      "latin america",
      "latam",
      "brazil",
      "argentina",
      "chile",
      "colombia",
      "peru",
      "venezuela",
      "ecuador",
      "bolivia",
      "paraguay",
      "uruguay",
    ]],
    [EUROPE, [
      "europe",
      "eu",
      "e u",
      "european union",
      "uk",
      "u k",
      "united kingdom",
      "great britain",
      "britain",
      "england",
      "scotland",
      "wales",
      "ireland",
      "france",
      "germany",
      "deutschland",
      "spain",
      "italy",
      "portugal",
      "netherlands",
      "holland",
      "belgium",
      "switzerland",
      "austria",
      "sweden",
      "norway",
      "denmark",
      "finland",
      "poland",
      "czechia",
      "czech republic",
      "greece",
      "hungary",
      "romania",
      "ukraine",
    ]],
    [MIDDLE_EAST, [
      "middle east",
      "mideast",
      "saudi arabia",
      "saudi",
      "ksa",
      "uae",
      "united arab emirates",
      "dubai",
      "israel",
      "iran",
      "iraq",
      "jordan",
      "qatar",
      "kuwait",
      "oman",
      "bahrain",
      "lebanon",
    ]],
    [AFRICA, [
      "africa",
      "nigeria",
      "south africa",
      "kenya",
      "ethiopia",
      "ghana",
      "morocco",
      "algeria",
      "tunisia",
      "tanzania",
      "uganda",
      "senegal",
    ]],
    [ASIA, [
      "asia",
      "china",
      "japan",
      "india",
      "south korea",
      "korea",
      "indonesia",
      "thailand",
      "vietnam",
      "philippines",
      "malaysia",
      "singapore",
      "pakistan",
      "bangladesh",
      "taiwan",
      "hong kong",
    ]],
    [OCEANIA, [
      "oceania",
      "australasia",
      "australia",
      "aus",
      "new zealand",
      "nz",
      "fiji",
      "papua new guinea",
    ]],
    [AMERICAS, ["americas", "amer"]],
    [EMEA, ["emea"]],
    [APAC, ["apac", "asia pacific"]],
  ] as const).flatMap(([area, entries]) => entries.map((entry) => [entry, area] as const)),
);

/** The table words, each with the misspelling distance it allows. */
const FUZZY_WORDS = [...GAZETTEER.keys()]
  .map((word) => ({ word, distance: allowedDistance(word) }))
  .filter((entry) => entry.distance > 0);

function allowedDistance(word: string): number {
  const letters = word.replaceAll(" ", "").length;
  return letters >= 8 ? 2 : letters >= 5 ? 1 : 0;
}

/** The table's area names for a raw value, or undefined when it names no place in the table. */
export function gazetteerArea(raw: string): readonly string[] | undefined {
  const key = words(raw).join(" ");
  if (key === "") return undefined;
  const exact = GAZETTEER.get(key);
  if (exact) return exact;
  let nearest: (readonly string[])[] = [];
  let nearestDistance = Infinity;
  for (const { word, distance: allowed } of FUZZY_WORDS) {
    const distance = levenshtein(key, word, allowed);
    if (distance > allowed || distance > nearestDistance) continue;
    if (distance < nearestDistance) nearest = [];
    nearestDistance = distance;
    nearest.push(GAZETTEER.get(word)!);
  }
  // Two nearest words in different areas (`chila`: Chile or China?) decide nothing.
  return new Set(nearest).size === 1 ? nearest[0] : undefined;
}

/** The canonical names the table places the raw value in: the area's most specific name held. */
export function gazetteerCandidates(raw: string, canonicals: readonly string[]): string[] {
  const area = gazetteerArea(raw);
  if (!area) return [];
  for (const name of area) {
    const key = words(name).join(" ");
    const held = canonicals.filter((canonical) => words(canonical).join(" ") === key);
    if (held.length > 0) return distinct(held);
  }
  return [];
}
