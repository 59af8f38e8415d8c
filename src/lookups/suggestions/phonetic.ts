/**
 * Phonetic suggestions: a raw value and a canonical name that sound alike by a metaphone key,
 * for misspellings beyond the 2 edits the cleaner corrects (`Afreeka` → Africa, `Midel Eest` →
 * Middle East, `Elektroniks` → Electronics).
 *
 * Sounding alike is the weakest evidence, so the method also asks for: the same number of words,
 * a key of at least 4 sounds (`Asia`'s `AS` would meet half the dictionary), and a raw value no
 * more than half the canonical name's length in edits away from it.
 */
import { levenshtein } from "../levenshtein.ts";
import { distinct, words } from "./_text.ts";

/** The smallest key (in sounds, spaces not counted) that is evidence. */
const MIN_KEY_SOUNDS = 4;

const VOWELS = "AEIOU";
const FRONT_VOWELS = "EIY";

function isVowel(letter: string | undefined): boolean {
  return letter !== undefined && letter !== "" && VOWELS.includes(letter);
}

/**
 * The metaphone key of one word (after Lawrence Philips' 1990 rules, for ASCII letters; other
 * characters are skipped): `africa` → `AFRK`, `middle` → `MTL`, `south` → `S0` (`0` is "th").
 * A leading vowel is kept as `A`, so `Europe` and `Aurope` agree.
 */
export function metaphoneWord(word: string): string {
  let text = word.toUpperCase().replace(/[^A-Z]/g, "");
  if (text === "") return "";
  // Initial letter groups with a silent first letter.
  if (/^(KN|GN|PN|AE|WR)/.test(text)) text = text.slice(1);
  if (text.startsWith("X")) text = "S" + text.slice(1);
  if (text.startsWith("WH")) text = "W" + text.slice(2);
  // Doubled letters sound once (except C: `acc` is `aks`).
  text = text.replace(/([A-BD-Z])\1+/g, "$1");

  let key = "";
  for (let index = 0; index < text.length; index++) {
    const letter = text[index];
    const previous = text[index - 1];
    const next = text[index + 1];
    const afterNext = text[index + 2];
    switch (letter) {
      case "A":
      case "E":
      case "I":
      case "O":
      case "U":
        if (index === 0) key += "A";
        break;
      case "B":
        if (!(previous === "M" && index === text.length - 1)) key += "B";
        break;
      case "C":
        if (next === "I" && afterNext === "A") key += "X";
        else if (next === "H") {
          key += previous === "S" ? "K" : "X";
          index++;
        } else if (next !== undefined && FRONT_VOWELS.includes(next)) {
          if (previous !== "S") key += "S";
        } else key += "K";
        break;
      case "D":
        if (next === "G" && afterNext !== undefined && FRONT_VOWELS.includes(afterNext)) {
          key += "J";
          index++;
        } else key += "T";
        break;
      case "G":
        if (next === "H" && !(index + 2 >= text.length || isVowel(afterNext))) break;
        if (next === "N" && (index + 2 === text.length || text.slice(index + 1) === "NED")) break;
        if (next !== undefined && FRONT_VOWELS.includes(next) && previous !== "G") key += "J";
        else key += "K";
        break;
      case "H":
        if (previous !== undefined && "CSPTG".includes(previous)) break;
        if (isVowel(previous) && !isVowel(next)) break;
        key += "H";
        break;
      case "K":
        if (previous !== "C") key += "K";
        break;
      case "P":
        key += next === "H" ? "F" : "P";
        break;
      case "Q":
        key += "K";
        break;
      case "S":
        if (next === "H") {
          key += "X";
          index++;
        } else if (next === "I" && (afterNext === "O" || afterNext === "A")) key += "X";
        else key += "S";
        break;
      case "T":
        if (next === "I" && (afterNext === "O" || afterNext === "A")) key += "X";
        else if (next === "H") {
          key += "0";
          index++;
        } else if (!(next === "C" && afterNext === "H")) key += "T";
        break;
      case "V":
        key += "F";
        break;
      case "W":
      case "Y":
        if (isVowel(next)) key += letter;
        break;
      case "X":
        key += "KS";
        break;
      case "Z":
        key += "S";
        break;
      default: // F J L M N R
        key += letter;
    }
  }
  return key;
}

/** The metaphone key of a value, word by word (`Middle East` → `MTL AST`). */
export function metaphoneKey(raw: string): string {
  return words(raw).map(metaphoneWord).join(" ");
}

/** The canonical names that sound like the raw value (see the module comment for the limits). */
export function phoneticCandidates(raw: string, canonicals: readonly string[]): string[] {
  const key = metaphoneKey(raw);
  if (key.replaceAll(" ", "").length < MIN_KEY_SOUNDS) return [];
  const rawText = words(raw).join(" ");
  return distinct(canonicals.filter((name) => {
    if (metaphoneKey(name) !== key) return false;
    const nameText = words(name).join(" ");
    const allowed = Math.floor(nameText.length / 2);
    return levenshtein(rawText, nameText, allowed) <= allowed;
  }));
}
