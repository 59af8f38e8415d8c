/**
 * Sales regions: the 7 canonical names, how often each occurs, and the dirty spellings that
 * `generate-data` writes instead in 15% of dirty rows.
 *
 * Every dirty spelling resolves to exactly one canonical region by one of the routes the cleaner
 * and the lookup builders know (docs/lookups.md, docs/cleaning.md):
 * - equal to the canonical name ignoring case and whitespace (`NORTH AMERICA`, `Asia `);
 * - within Levenshtein distance 2 of exactly one canonical name, ignoring case (`Aisa`, `Eurpoe`);
 * - listed in {@linkcode REGION_ABBREVIATIONS}, the starter `lookups/region_map.json` (`EU`, `LATAM`).
 */

/** The 7 canonical regions. */
export const REGIONS = [
  "North America",
  "South America",
  "Europe",
  "Asia",
  "Africa",
  "Oceania",
  "Middle East",
] as const;

export type Region = typeof REGIONS[number];

/** Relative share of orders per region (sums to 1). The smallest stays far above the 2% cutoff. */
export const REGION_WEIGHTS: Readonly<Record<Region, number>> = {
  "North America": 0.25,
  "South America": 0.09,
  "Europe": 0.22,
  "Asia": 0.22,
  "Africa": 0.07,
  "Oceania": 0.07,
  "Middle East": 0.08,
};

/**
 * Abbreviations and misspellings that no edit-distance rule can resolve: raw value (lower-cased,
 * trimmed, inner whitespace collapsed) → canonical region. The lookups stage ships this as the
 * starter `lookups/region_map.json`.
 */
export const REGION_ABBREVIATIONS: Readonly<Record<string, Region>> = {
  "austalia": "Oceania",
  "eu": "Europe",
  "latam": "South America",
  "n. america": "North America",
  "s. america": "South America",
  "uk": "Europe",
};

/**
 * Dirty spellings per canonical region, each chosen equally often among its region's spellings.
 * With 15% of rows dirty, the most frequent spelling (North America's five share 0.15 × 0.25)
 * stays near 0.75% of rows, under the 1.5% cap and far under the lookups' 2% canonical cutoff.
 */
export const REGION_VARIANTS: Readonly<Record<Region, readonly string[]>> = {
  "North America": [
    "north america",
    "NORTH AMERICA",
    "North America ",
    "N. America",
    "Nort America",
  ],
  "South America": ["south america", "South  America", "S. America", "LATAM", "Sout America"],
  "Europe": ["europe", "EUROPE", " Europe", "EU", "Eurpoe", "UK"],
  "Asia": ["asia", "ASIA", "Asia ", "Aisa"],
  "Africa": ["africa", "AFRICA", "Afirca"],
  "Oceania": ["oceania", "Oceania ", "Austalia", "Oceana"],
  "Middle East": ["middle east", "Middle  East", "MIDDLE EAST", "Midle East"],
};

/** Region values that name no region (1% of dirty rows); they must be rejected, not guessed. */
export const UNKNOWN_REGIONS = ["Mars", "Atlantis", "??", "N/A", ""] as const;
