// Suggested lead department and cities for a measure, from seeds/allocation-rules.json.
// Pure: the rules, the directory's names and the measure in, the suggestion out. A suggestion is
// shown as such until a person confirms it; `unsure` marks the ones the rules cannot decide well.
//
// Order of evidence, strongest first:
//   1. the plan's own words: units the measure itself names as 牵头/负责/责任主体;
//   2. keyword rules matched on the measure's subject, with department names removed from the text
//      first (so 省人力资源社会保障厅 in a list does not read as 人力资源) and words that sit in a
//      list item, a framing clause (依托…，) or a purpose clause (…，促进…) weighed less; rules fenced
//      to a chapter, section or task win ties over general ones;
//   3. the notice's 责任主体 rule: where the section is the cities' own (cityScopes), the city
//      whose places the measure (or its task title) names leads — the three cities jointly when
//      all three are named;
//   4. the section's or chapter's field lead (第九章第一节), marked unsure.
import type { City } from '../../shared/domain';
import { CITIES } from '../../shared/domain';

export interface KeywordRule {
  words: string[];
  lead: string;
  /** further leads in order, when the rule makes the measure jointly led (the first stays 主责) */
  with?: string[];
  /** plan ids (chapter "4", section "4.1", task "4.1.1") the rule is fenced to */
  scopes?: string[];
  /** older form of scopes: whole chapters */
  chapters?: number[];
  /** why this unit, shown in the reason (default: 按职能) */
  why?: string;
}

export interface AllocationRules {
  fieldQuote: string;
  scopeLeads: { scope: string; field: string; lead: string; reason?: string; with?: string[] }[];
  keywordLeads: KeywordRule[];
  /** sections whose measures are the cities' own work (the notice's 责任主体 rule) */
  cityScopes?: string[];
  places: Record<City, string[]>;
  allCitiesWords: string[];
  /** regular expressions whose matches are not places of a city (承接长沙市…, 湘潭大学, 推广浏阳市经验) */
  notPlaces?: string[];
}

export interface Suggestion {
  lead: string | null;
  /** further leads the rules or the plan's words name with the first, in order (for joint leads) */
  alsoLeads: string[];
  reason: string | null;
  cities: City[];
  /** the rules are unsure: the lead came from a section default, a weak match or a close rival */
  unsure: boolean;
}

export interface MeasureInput {
  id: string;
  text: string;
  /** the 重点任务's title (the section's title when the section is one task) */
  taskTitle?: string;
}

export interface DirectoryEntry {
  name: string;
  aliases: string[];
  city?: City | null;
  level?: string;
}

const CITY_GOV: Record<City, string> = { 长沙市: '长沙市人民政府', 株洲市: '株洲市人民政府', 湘潭市: '湘潭市人民政府' };
const MASK = '□';

/** Clause weights: the measure's subject counts most, a purpose clause least. */
const W_SUBJECT = 3;
const W_OTHER = 2;
const W_FRAME = 1;
const W_PURPOSE = 0.5;
/** a rule fenced to a chapter/section/task gets this much per level of its fence */
const W_FENCE = 0.25;
/** a rival with a different lead this close to the winner makes the suggestion unsure */
const CLOSE = 0.5;

const FRAME_RE = /^(依托|以|围绕|立足|按照|结合|对标|针对|统筹考虑|把握|利用|发挥|紧扣|充分发挥|充分利用|坚持|根据)/;
const PURPOSE_RE = /^(促进|提高|提升|实现|确保|形成|有效|增强|助推|努力|切实|更好|为|进一步提升|服务|减轻|减少|保障|树立|构筑|释放|着力提升|着力形成|共同营造|有效解决)/;
const CRITERIA_RE = /以[^，。；]{1,40}?为(主要)?依据/g;
const CLAUSE_SPLIT = new Set(['，', '；', '：', '。']);
const OPEN = new Set(['“', '（', '(', '《', '「']);
const CLOSE_BR = new Set(['”', '）', ')', '》', '」']);

interface Clause {
  start: number;
  end: number;
  weight: number;
  kind: 'subject' | 'other' | 'frame' | 'purpose';
}

/** Split at ，；： outside quotes and brackets and weigh each clause by its role. */
function clausesOf(text: string): Clause[] {
  const spans: [number, number][] = [];
  let depth = 0;
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (OPEN.has(c)) depth++;
    else if (CLOSE_BR.has(c) && depth > 0) depth--;
    else if (CLAUSE_SPLIT.has(c) && depth === 0) {
      if (i > s) spans.push([s, i]);
      s = i + 1;
    }
  }
  if (s < text.length) spans.push([s, text.length]);
  const out: Clause[] = [];
  let subjectGiven = false;
  spans.forEach(([a, b], k) => {
    const t = text.slice(a, b);
    let kind: Clause['kind'];
    if (!subjectGiven && FRAME_RE.test(t) && k < spans.length - 1) kind = 'frame';
    else if (!subjectGiven) {
      kind = 'subject';
      subjectGiven = true;
    } else if (PURPOSE_RE.test(t)) kind = 'purpose';
    else kind = 'other';
    const weight = kind === 'subject' ? W_SUBJECT : kind === 'other' ? W_OTHER : kind === 'frame' ? W_FRAME : W_PURPOSE;
    out.push({ start: a, end: b, weight, kind });
  });
  return out;
}

/** A word at [at, at+len) is an item of an enumeration (A、B、C等…) when a 、 bounds its item. */
function inListItem(text: string, at: number, len: number, clause: Clause): boolean {
  // the item around the word: up to the nearest 、 or clause mark; the head noun after 等 is no item
  let l = at;
  while (l > clause.start && !'、，；：（(“等'.includes(text[l - 1])) l--;
  let r = at + len;
  while (r < clause.end && !'、，；：）)”等'.includes(text[r])) r++;
  // enumerated items are short nouns; a long stretch up to a 、 is the clause's own verb phrase
  if (r - l > 12) return false;
  const leftMark = l > clause.start ? text[l - 1] : '';
  const rightMark = r < clause.end ? text[r] : '';
  return leftMark === '、' || rightMark === '、' || (rightMark === '等' && text.slice(clause.start, at).includes('、'));
}

function fenceDepth(scope: string): number {
  return scope.split('.').length;
}

function inScope(measureId: string, scope: string): boolean {
  return measureId === scope || measureId.startsWith(`${scope}.`);
}

export interface Suggester {
  suggest(m: MeasureInput): Suggestion;
}

/** Prepare the rules once for a directory (its names are removed from texts before matching). */
export function compileRules(rules: AllocationRules, directory: DirectoryEntry[]): Suggester {
  // names to mask, longest first so 省人力资源社会保障厅 goes before any shorter name inside it;
  // bare city names (aliases of the city governments) stay: they are places.
  const cityNames = new Set<string>(CITIES);
  const names = new Map<string, string>();
  for (const d of directory) {
    for (const n of [d.name, ...d.aliases]) if (n.length >= 3 && !cityNames.has(n)) names.set(n, d.name);
  }
  const maskList = [...names.keys()].sort((a, b) => b.length - a.length);
  const provincialMask = maskList.filter((n) => {
    const d = directory.find((x) => x.name === names.get(n));
    return !d?.city;
  });
  const notPlaces = (rules.notPlaces ?? []).map((p) => new RegExp(p, 'g'));
  const known = new Set(directory.map((d) => d.name));

  const mask = (text: string, list: string[]) => {
    let t = text;
    for (const n of list) if (t.includes(n)) t = t.split(n).join(MASK.repeat(n.length));
    return t;
  };

  /** Units the measure names as responsible, in the plan's order: "A、B等部门牵头负责", "长沙市、株洲市、湘潭市作为…责任主体". */
  const namedResponsible = (text: string): string[] => {
    const m = /(牵头负责|牵头|负责|责任主体)/.exec(text);
    if (!m) return [];
    // the clause up to the responsibility word
    const before = text.slice(0, m.index);
    const clauseStart = Math.max(before.lastIndexOf('，'), before.lastIndexOf('。'), before.lastIndexOf('；')) + 1;
    const clause = before.slice(clauseStart);
    const found: { at: number; name: string }[] = [];
    let rest = clause;
    for (const n of [...maskList, ...CITIES]) {
      let at = rest.indexOf(n);
      while (at >= 0) {
        const unit = cityNames.has(n) ? CITY_GOV[n as City] : names.get(n)!;
        found.push({ at, name: unit });
        rest = rest.slice(0, at) + MASK.repeat(n.length) + rest.slice(at + n.length);
        at = rest.indexOf(n);
      }
    }
    return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name))];
  };

  const citiesOf = (text: string): Set<City> => {
    let t = mask(text, provincialMask);
    for (const re of notPlaces) t = t.replace(re, (s) => MASK.repeat(s.length));
    const out = new Set<City>();
    if (rules.allCitiesWords.some((w) => t.includes(w))) CITIES.forEach((c) => out.add(c));
    for (const c of CITIES) if (rules.places[c].some((p) => t.includes(p))) out.add(c);
    return out;
  };

  const ruleApplies = (r: KeywordRule, id: string, chapter: number) => {
    if (r.chapters && !r.chapters.includes(chapter)) return false;
    if (r.scopes && !r.scopes.some((s) => inScope(id, s))) return false;
    return true;
  };

  return {
    suggest(m: MeasureInput): Suggestion {
      const chapter = Number(m.id.split('.')[0]);
      const task = m.taskTitle ?? '';

      // cities: the measure's places; its task title's when it names none
      let cities = citiesOf(m.text);
      let citiesFrom: 'measure' | 'task' | null = cities.size ? 'measure' : null;
      if (cities.size === 0 && task) {
        cities = citiesOf(task);
        if (cities.size) citiesFrom = 'task';
      }
      const cityList = (): City[] => CITIES.filter((c) => cities.has(c));

      // 1. the plan's own words
      const named = namedResponsible(m.text).filter((n) => known.has(n));
      if (named.length) {
        if (named.every((n) => Object.values(CITY_GOV).includes(n))) {
          named.forEach((n) => cities.add(CITIES.find((c) => CITY_GOV[c] === n)!));
        }
        return {
          lead: named[0],
          alsoLeads: named.slice(1),
          reason: `规划原文点名负责：${named.join('、')}${named.length > 1 ? `（${named[0]}列首位，主责）` : ''}`,
          cities: cityList(),
          unsure: false,
        };
      }

      // 2. keyword rules on the measure's subject
      const text = mask(m.text, maskList);
      const clauses = clausesOf(text);
      // criteria (以…为主要依据) say on what terms, not what is done: weighed as a framing clause
      const criteria: [number, number][] = [];
      for (const c of text.matchAll(CRITERIA_RE)) criteria.push([c.index, c.index + c[0].length]);
      type Hit = { rule: KeywordRule; order: number; word: string; at: number; score: number; kind: string; listed: boolean; fence: number };
      const hits: Hit[] = [];
      rules.keywordLeads.forEach((r, order) => {
        if (!ruleApplies(r, m.id, chapter)) return;
        const fence = Math.max(
          r.chapters ? 1 : 0,
          ...(r.scopes ?? []).filter((s) => inScope(m.id, s)).map(fenceDepth),
        );
        let best: Hit | null = null;
        for (const w of r.words) {
          let at = text.indexOf(w);
          while (at >= 0) {
            const c = clauses.find((x) => at >= x.start && at < x.end);
            if (c) {
              const listed = inListItem(text, at, w.length, c);
              const inCriteria = criteria.some(([a, b]) => at >= a && at < b);
              const weight = inCriteria ? Math.min(c.weight, W_FRAME) : c.weight;
              const score = weight * (listed ? 0.5 : 1) + fence * W_FENCE;
              if (!best || score > best.score) best = { rule: r, order, word: w, at, score, kind: inCriteria ? 'frame' : c.kind, listed, fence };
            }
            at = text.indexOf(w, at + 1);
          }
        }
        if (best) hits.push(best);
      });
      // the task title speaks for the measure only weakly (below any clause of the measure itself)
      if (hits.length === 0 && task) {
        const t = mask(task, maskList);
        rules.keywordLeads.forEach((r, order) => {
          if (!ruleApplies(r, m.id, chapter)) return;
          const w = r.words.find((x) => t.includes(x));
          if (w) hits.push({ rule: r, order, word: w, at: 0, score: 0.4, kind: 'task', listed: false, fence: 0 });
        });
      }
      // equal weight: the fenced rule, then the word said first (a clause names its object before
      // what serves it), then the rules' order
      hits.sort((a, b) => b.score - a.score || b.fence - a.fence || a.at - b.at || a.order - b.order);

      // 3. the notice's 责任主体 rule for the cities' own sections
      const cityScope = (rules.cityScopes ?? []).some((s) => inScope(m.id, s));
      const top = hits[0];
      const strongFenced = top && top.fence >= 2 && top.kind !== 'purpose' && top.kind !== 'task';
      if (cityScope && cities.size > 0 && !strongFenced) {
        const govs = cityList().map((c) => CITY_GOV[c]);
        const where = citiesFrom === 'task' ? `任务“${task}”` : '措施';
        return {
          lead: govs[0],
          alsoLeads: govs.slice(1),
          reason:
            `通知：长沙市、株洲市、湘潭市是都市圈建设的责任主体；${where}涉及${cityList().join('、')}` +
            (govs.length > 1 ? `，由${govs.join('、')}共同负责（${govs[0]}列首位）` : `，由${govs[0]}负责`) +
            // a provincial unit only where the measure's subject itself names its field
            (top && top.kind === 'subject' && !top.listed ? `；省直可由${top.rule.lead}指导（“${top.word}”）` : ''),
          cities: cityList(),
          unsure: false,
        };
      }

      if (top) {
        const rival = hits.find((h) => h.rule.lead !== top.rule.lead);
        const close = rival !== undefined && top.score - rival.score < CLOSE;
        const weak = top.kind === 'purpose' || top.kind === 'task' || top.score < W_OTHER * 0.5 + 0.01;
        const where =
          top.kind === 'task'
            ? `任务标题“${task}”提及`
            : top.kind === 'subject'
              ? top.listed
                ? '措施所列事项含'
                : '措施主体为'
              : top.kind === 'purpose'
                ? '措施目的提及'
                : '措施提及';
        const also = top.rule.with ?? [];
        let reason = top.rule.why
          ? `${where}“${top.word}”：${top.rule.why}，建议${top.rule.lead}牵头`
          : `${where}“${top.word}”，按职能建议${top.rule.lead}牵头`;
        if (also.length) reason += `，${also.join('、')}共同负责`;
        if (close) reason += `；另涉“${rival.word}”（${rival.rule.lead}），请核`;
        else if (weak) reason += '；依据较弱，请核';
        if (cities.size === CITIES.length && chapter !== 9) reason += '；三市为责任主体';
        for (const n of [top.rule.lead, ...also]) {
          const c = CITIES.find((x) => CITY_GOV[x] === n);
          if (c) cities.add(c);
        }
        return { lead: top.rule.lead, alsoLeads: also, reason, cities: cityList(), unsure: close || weak };
      }

      // 4. the section's or chapter's field lead
      const scope = rules.scopeLeads
        .filter((s) => inScope(m.id, s.scope))
        .sort((a, b) => b.scope.length - a.scope.length)[0];
      if (scope) {
        // a section that is the three cities' work names them as leads and as cities
        for (const n of [scope.lead, ...(scope.with ?? [])]) {
          const c = CITIES.find((x) => CITY_GOV[x] === n);
          if (c) cities.add(c);
        }
        const reason =
          (scope.reason ?? `第九章第一节：${scope.lead}牵头负责${scope.field}同城化专项工作（“${rules.fieldQuote}”）`) +
          '；措施未提及更具体的职能，请核';
        return { lead: scope.lead, alsoLeads: scope.with ?? [], reason, cities: cityList(), unsure: true };
      }
      return { lead: null, alsoLeads: [], reason: null, cities: cityList(), unsure: true };
    },
  };
}
