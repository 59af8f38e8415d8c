/**
 * The region map (docs/lookups.md): each raw region value, normalised, → a canonical region or `UNKNOWN`.
 *
 * A raw value maps to a canonical region when they are equal ignoring case and spaces, or when
 * exactly one canonical region is nearest within edit distance 2; a tie stays `UNKNOWN` for a person
 * to decide. Entries already in the file are a person's (or were reviewed by one): a value other
 * than `UNKNOWN` is never changed, and no entry is ever removed. `UNKNOWN` entries are looked at
 * again, since the regions may have changed since they were written.
 *
 * Blank raw values get no entry: a blank region is always unknown, there is nothing to decide.
 */
import { compareText } from "./infer_canonical_names.ts";
import { regionKey } from "./keys.ts";
import { levenshtein } from "./levenshtein.ts";
import { isUnmappedRegionValue, UNKNOWN_REGION } from "./lookup_files.ts";

/** The largest edit distance at which a raw value is matched to a canonical region. */
export const REGION_MATCH_DISTANCE = 2;

/** How a raw region value was resolved. */
export type RegionMatch =
  | { kind: "exact"; region: string }
  | { kind: "distance"; region: string; distance: number }
  | { kind: "tie"; regions: string[]; distance: number }
  | { kind: "none" };

/**
 * Resolves one normalised raw value against the canonical regions: equal ignoring case and all
 * whitespace, else the single nearest region within {@linkcode REGION_MATCH_DISTANCE}.
 */
export function matchRegion(key: string, regions: readonly string[]): RegionMatch {
  const compact = compactKey(key);
  const equal = regions.filter((region) => compactKey(region) === compact);
  if (equal.length === 1) return { kind: "exact", region: equal[0] };
  if (equal.length > 1) return { kind: "tie", regions: equal, distance: 0 };
  let nearest: string[] = [];
  let nearestDistance = REGION_MATCH_DISTANCE + 1;
  for (const region of regions) {
    const distance = levenshtein(key, regionKey(region), REGION_MATCH_DISTANCE);
    if (distance < nearestDistance) {
      nearest = [region];
      nearestDistance = distance;
    } else if (distance === nearestDistance && distance <= REGION_MATCH_DISTANCE) {
      nearest.push(region);
    }
  }
  if (nearest.length === 1) {
    return { kind: "distance", region: nearest[0], distance: nearestDistance };
  }
  if (nearest.length > 1) return { kind: "tie", regions: nearest, distance: nearestDistance };
  return { kind: "none" };
}

/** Lower-cased with every whitespace character removed: "equal ignoring case and spaces". */
function compactKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, "");
}

/** One change the builder made, for the summary a person reviews. */
export interface RegionMapChange {
  /** The key as it is written in the file. */
  key: string;
  /** The value written for it: a canonical region, or `UNKNOWN`. */
  value: string;
  /** How the value was found. */
  match: RegionMatch;
  /** `true` when the entry existed as `UNKNOWN` and now resolves. */
  resolvedExisting: boolean;
}

export interface InferRegionMapOptions {
  /** Distinct raw region values of the sample, as read (repeats and blanks are fine). */
  rawValues: Iterable<string>;
  /** The canonical regions (`common_regions.json`), as written. */
  regions: readonly string[];
  /** The current `region_map.json`, as written. */
  existing?: Readonly<Record<string, string>>;
}

/** The new region map, and what changed, for the summary a person reviews. */
export interface RegionMapInference {
  /** The new map, keys sorted (code-unit order). */
  map: Record<string, string>;
  /** New entries and `UNKNOWN` entries that now resolve. */
  changes: RegionMapChange[];
  /** Raw values whose nearest regions tie (left `UNKNOWN`). */
  ties: RegionMapChange[];
  /** Entries a person set to a region, kept as they were. */
  keptEntries: number;
}

/** Builds the new region map from the sample's raw values and the existing map. */
export function inferRegionMap(options: InferRegionMapOptions): RegionMapInference {
  const { regions } = options;
  const entries = new Map<string, string>(Object.entries(options.existing ?? {}));
  /** Normalised key → the key as written in the existing file. */
  const writtenKeyOf = new Map<string, string>();
  for (const key of entries.keys()) {
    if (!writtenKeyOf.has(regionKey(key))) writtenKeyOf.set(regionKey(key), key);
  }
  let keptEntries = 0;
  for (const value of entries.values()) if (!isUnmappedRegionValue(value)) keptEntries++;

  const changes: RegionMapChange[] = [];
  const ties: RegionMapChange[] = [];
  const decide = (writtenKey: string, resolvedExisting: boolean) => {
    const match = matchRegion(regionKey(writtenKey), regions);
    const value = match.kind === "exact" || match.kind === "distance"
      ? match.region
      : UNKNOWN_REGION;
    const change = { key: writtenKey, value, match, resolvedExisting };
    if (match.kind === "tie") ties.push(change);
    if (resolvedExisting && value === UNKNOWN_REGION) return;
    entries.set(writtenKey, value);
    changes.push(change);
  };

  // Pending entries first: the regions may have changed since a person last looked.
  for (const [key, value] of entries) {
    if (isUnmappedRegionValue(value) && regionKey(key) !== "") decide(key, true);
  }
  const seen = new Set<string>();
  for (const raw of options.rawValues) {
    const key = regionKey(raw);
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    if (writtenKeyOf.has(key)) continue; // already in the file, handled above or a person's
    decide(key, false);
  }

  const map: Record<string, string> = Object.create(null);
  for (const key of [...entries.keys()].sort(compareText)) map[key] = entries.get(key)!;
  return { map, changes, ties, keptEntries };
}
