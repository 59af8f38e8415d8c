import assert from "node:assert/strict";
import {
  acceptRegionSuggestions,
  type ReviewSuggestion,
  suggestForReview,
} from "../../src/lookups/review_suggestions.ts";
import { CATEGORIES, REGIONS } from "./suggestions/_canonicals.ts";

Deno.test("suggestForReview keeps the queue's order and skips values with no evidence", () => {
  const suggestions = suggestForReview("region", [
    { key: "n. america", rows: 30 },
    { key: "mars", rows: 20 },
    { key: "uk", rows: 10 },
    { key: "gone", rows: 0 },
  ], REGIONS);
  assert.deepEqual(suggestions, [
    {
      column: "region",
      raw: "n. america",
      canonical: "North America",
      method: "abbreviation",
      rows: 30,
      accepted: false,
    },
    {
      column: "region",
      raw: "uk",
      canonical: "Europe",
      method: "gazetteer",
      rows: 10,
      accepted: false,
    },
  ]);
  assert.deepEqual(suggestForReview("category", [{ key: "misc", rows: 5 }], CATEGORIES), []);
});

function suggestion(
  raw: string,
  canonical: string,
  method: ReviewSuggestion["method"],
  column: ReviewSuggestion["column"] = "region",
): ReviewSuggestion {
  return { column, raw, canonical, method, rows: 1, accepted: false };
}

Deno.test("acceptRegionSuggestions writes the listed methods over UNKNOWN entries only", () => {
  const map = {
    "eu": "UNKNOWN",
    "mars": "UNKNOWN",
    "uk": "unknown",
    "usa": "North America",
    "latam": "South America", // a person's entry: the suggestion below must not replace it
  };
  const suggestions = [
    suggestion("eu", "Europe", "abbreviation"),
    suggestion("uk", "Europe", "gazetteer"),
    suggestion("latam", "North America", "gazetteer"),
    suggestion("home and kitchen", "Home & Kitchen", "fingerprint", "category"),
  ];
  const onlyAbbreviations = acceptRegionSuggestions(map, suggestions, ["abbreviation"]);
  assert.deepEqual({ ...onlyAbbreviations.map }, { ...map, "eu": "Europe" });
  assert.deepEqual(onlyAbbreviations.suggestions.map((entry) => entry.accepted), [
    true,
    false,
    false,
    false,
  ]);

  const all = acceptRegionSuggestions(map, suggestions, [
    "fingerprint",
    "abbreviation",
    "gazetteer",
    "phonetic",
  ]);
  assert.deepEqual({ ...all.map }, { ...map, "eu": "Europe", "uk": "Europe" });
  // A category suggestion has no file to go to; a person's region entry is never replaced.
  assert.deepEqual(all.suggestions.map((entry) => entry.accepted), [true, true, false, false]);
  assert.equal(map.eu, "UNKNOWN", "the input map is not changed");
});

Deno.test("acceptRegionSuggestions with no methods accepts nothing", () => {
  const result = acceptRegionSuggestions({ eu: "UNKNOWN" }, [
    suggestion("eu", "Europe", "abbreviation"),
  ], []);
  assert.deepEqual({ ...result.map }, { eu: "UNKNOWN" });
  assert.equal(result.suggestions[0].accepted, false);
});
