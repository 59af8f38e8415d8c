/** Phonetic suggestions (placeholder until the metaphone key lands). */
export function phoneticCandidates(_raw: string, _canonicals: readonly string[]): string[] {
  return [];
}
