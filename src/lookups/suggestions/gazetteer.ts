/** Gazetteer suggestions (placeholder until the table lands). */
export function gazetteerCandidates(_raw: string, _canonicals: readonly string[]): string[] {
  return [];
}
