// Suggested lead department and cities for a measure, from seeds/allocation-rules.json.
// Pure: the rules and the measure in, the suggestion out. A suggestion is shown as such
// until a person confirms it.
import type { City } from '../../shared/domain';
import { CITIES } from '../../shared/domain';

export interface AllocationRules {
  fieldQuote: string;
  scopeLeads: { scope: string; field: string; lead: string; reason?: string }[];
  keywordLeads: { words: string[]; lead: string; chapters?: number[] }[];
  places: Record<City, string[]>;
  allCitiesWords: string[];
}

export interface Suggestion {
  lead: string | null;
  reason: string | null;
  cities: City[];
}

export function suggestFor(rules: AllocationRules, measureId: string, text: string): Suggestion {
  const chapter = Number(measureId.split('.')[0]);
  let lead: string | null = null;
  let reason: string | null = null;
  for (const k of rules.keywordLeads) {
    if (k.chapters && !k.chapters.includes(chapter)) continue;
    const w = k.words.find((word) => text.includes(word));
    if (w) {
      lead = k.lead;
      reason = `措施提及“${w}”，按职能建议${k.lead}牵头`;
      break;
    }
  }
  if (!lead) {
    // the most specific scope (longest prefix) that contains the measure
    const scope = rules.scopeLeads
      .filter((s) => measureId === s.scope || measureId.startsWith(`${s.scope}.`))
      .sort((a, b) => b.scope.length - a.scope.length)[0];
    if (scope) {
      lead = scope.lead;
      reason = scope.reason ?? `第九章第一节：${scope.lead}牵头负责${scope.field}同城化专项工作（“${rules.fieldQuote}”）`;
    }
  }
  const cities = new Set<City>();
  if (rules.allCitiesWords.some((w) => text.includes(w))) CITIES.forEach((c) => cities.add(c));
  for (const c of CITIES) if (rules.places[c].some((p) => text.includes(p))) cities.add(c);
  return { lead, reason, cities: CITIES.filter((c) => cities.has(c)) };
}
