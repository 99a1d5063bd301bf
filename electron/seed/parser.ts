// Parses the published text of 长株潭都市圈发展规划 (seeds/plan.txt) into a tree:
// notice, foreword, chapters → sections → 重点任务 → 具体措施, and the figure captions.
// Pure: takes the text, returns data. Ids are stable: chapter.section.task.measure.

export interface Repair {
  /** 1-based line number of the first half in the published text */
  line: number;
  /** last characters before the break and first characters after it */
  before: string;
  after: string;
}

export interface ParsedMeasure {
  id: string;
  ord: number;
  text: string;
}

export interface ParsedTask {
  id: string;
  no: number;
  /** heading sentence without its 。 — or the section title when the section is one task */
  title: string;
  /** true when the title is the section's, since the section has no heading paragraphs */
  sectionAsTask: boolean;
  paragraphs: string[];
  measures: ParsedMeasure[];
}

export interface ParsedSection {
  id: string;
  no: number;
  title: string;
  /** paragraphs before the first 重点任务 (section lead) */
  lead: string[];
  tasks: ParsedTask[];
}

export interface ParsedChapter {
  id: string;
  no: number;
  title: string;
  lead: string[];
  sections: ParsedSection[];
}

export interface ParsedPart {
  id: string;
  title: string;
  paragraphs: string[];
}

export interface ParsedFigure {
  id: string;
  no: number;
  title: string;
}

export interface ParsedPlan {
  /** the plan text with every page-break artefact repaired (lines joined), lines trimmed */
  repairedText: string;
  repairs: Repair[];
  notice: ParsedPart;
  foreword: ParsedPart;
  /** the plan's own title line, e.g. 长株潭都市圈发展规划 */
  planTitle: string;
  chapters: ParsedChapter[];
  figures: ParsedFigure[];
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function cnToInt(s: string): number {
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + (CN_DIGITS[s.slice(1)] ?? 0);
  if (s.endsWith('十')) return (CN_DIGITS[s[0]] ?? 0) * 10;
  if (s.length === 3 && s[1] === '十') return (CN_DIGITS[s[0]] ?? 0) * 10 + (CN_DIGITS[s[2]] ?? 0);
  return CN_DIGITS[s] ?? NaN;
}

const CHAPTER_RE = /^第([一二三四五六七八九十]+)章\s*(.+)$/;
const SECTION_RE = /^第([一二三四五六七八九十]+)节\s*(.+)$/;
const FIGURE_RE = /^图(\d+)\s*(.+)$/;
const FOREWORD_RE = /^前言$/;
/** Characters that may legitimately end a paragraph line. */
const LINE_END_RE = /[。！？：:；;）)」』”"》\]】]$/;
/** A CJK ideograph or ASCII letter/digit: a line ending in one of these was cut mid-sentence. */
const WORD_CHAR_RE = /[\u3400-\u9fff0-9A-Za-z]$/;

function isHeadingLine(s: string): boolean {
  return CHAPTER_RE.test(s) || SECTION_RE.test(s) || FIGURE_RE.test(s) || FOREWORD_RE.test(s);
}

/**
 * Split a paragraph into sentences at 。！？ that are not inside quotes or brackets.
 * Each sentence keeps its terminal punctuation; the concatenation equals the paragraph.
 */
export function splitSentences(par: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < par.length; i++) {
    const c = par[i];
    if (c === '“' || c === '（' || c === '(' || c === '《' || c === '「') depth++;
    else if ((c === '”' || c === '）' || c === ')' || c === '》' || c === '」') && depth > 0) depth--;
    else if ((c === '。' || c === '！' || c === '？') && depth === 0) {
      // keep a closing quote that directly follows the stop with this sentence
      let end = i + 1;
      while (end < par.length && (par[end] === '”' || par[end] === '）')) end++;
      out.push(par.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  const rest = par.slice(start);
  if (rest.trim()) out.push(rest);
  return out;
}

/**
 * A paragraph opens a 重点任务 when its first sentence is a short heading such as
 * 打造轨道上的长株潭。 — short, no comma, and more sentences follow.
 */
export function headingOf(par: string): string | null {
  const sentences = splitSentences(par);
  if (sentences.length < 2) return null;
  const first = sentences[0];
  if (!first.endsWith('。')) return null;
  const body = first.slice(0, -1);
  if (body.length > 24 || /[，,；;：:]/.test(body) || /^到20\d\d年/.test(body)) return null;
  return body;
}

/** Join lines that a page break cut in the middle of a word; trim line ends. */
export function repairLines(raw: string): { lines: string[]; repairs: Repair[] } {
  const src = raw.replace(/\r\n?/g, '\n').split('\n');
  const lines: string[] = [];
  const repairs: Repair[] = [];
  // The repair applies to the body of the plan (from 前言 on); the notice's layout lines are left alone.
  let inBody = false;
  for (let i = 0; i < src.length; i++) {
    let line = src[i].trim();
    if (FOREWORD_RE.test(line)) inBody = true;
    while (
      inBody &&
      line !== '' &&
      !isHeadingLine(line) &&
      !LINE_END_RE.test(line) &&
      WORD_CHAR_RE.test(line) &&
      i + 1 < src.length &&
      src[i + 1].trim() !== '' &&
      !isHeadingLine(src[i + 1].trim())
    ) {
      const next = src[i + 1].trim();
      repairs.push({ line: i + 1, before: line.slice(-6), after: next.slice(0, 6) });
      line = line + next;
      i++;
    }
    lines.push(line);
  }
  return { lines, repairs };
}

export function parsePlan(raw: string): ParsedPlan {
  const { lines, repairs } = repairLines(raw);
  const repairedText = lines.join('\n');

  const noticeParas: string[] = [];
  const forewordParas: string[] = [];
  let planTitle = '';
  const chapters: ParsedChapter[] = [];
  const figures: ParsedFigure[] = [];

  type Mode = 'notice' | 'foreword' | 'body';
  let mode: Mode = 'notice';
  let chapter: ParsedChapter | null = null;
  let section: ParsedSection | null = null;
  // paragraphs of a section until we know whether it has heading paragraphs

  const flushSection = () => {
    if (!chapter || !section) return;
    if (section.tasks.length === 0) {
      // no heading paragraph: the section itself is one task, its lead paragraphs its text
      const paras = section.lead;
      section.lead = [];
      section.tasks.push(makeTask(section, 1, section.title, true, paras));
    }
    chapter.sections.push(section);
    section = null;
  };

  const makeTask = (sec: ParsedSection, no: number, title: string, sectionAsTask: boolean, paras: string[]): ParsedTask => {
    const id = `${sec.id}.${no}`;
    const sentences: string[] = [];
    paras.forEach((p, pi) => {
      const ss = splitSentences(p);
      // the heading sentence of the first paragraph names the task and is not a measure
      sentences.push(...(pi === 0 && !sectionAsTask ? ss.slice(1) : ss));
    });
    const measures = sentences
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((text, k) => ({ id: `${id}.${k + 1}`, ord: k + 1, text }));
    return { id, no, title, sectionAsTask, paragraphs: paras, measures };
  };

  for (const line of lines) {
    if (line === '') continue;
    const ch = CHAPTER_RE.exec(line);
    const se = SECTION_RE.exec(line);
    const fig = FIGURE_RE.exec(line);
    if (FOREWORD_RE.test(line)) {
      mode = 'foreword';
      continue;
    }
    if (ch) {
      flushSection();
      mode = 'body';
      const no = cnToInt(ch[1]);
      chapter = { id: String(no), no, title: ch[2].trim(), lead: [], sections: [] };
      chapters.push(chapter);
      continue;
    }
    if (se && chapter) {
      flushSection();
      const no = cnToInt(se[1]);
      section = { id: `${chapter.no}.${no}`, no, title: se[2].trim(), lead: [], tasks: [] };
      continue;
    }
    if (fig) {
      flushSection();
      chapter = null;
      figures.push({ id: `fig${fig[1]}`, no: Number(fig[1]), title: fig[2].trim() });
      continue;
    }
    if (mode === 'notice') {
      // the plan's own title line closes the notice and opens the document
      if (line === '长株潭都市圈发展规划') {
        planTitle = line;
        continue;
      }
      noticeParas.push(line);
      continue;
    }
    if (mode === 'foreword') {
      forewordParas.push(line);
      continue;
    }
    if (!chapter) continue;
    if (!section) {
      chapter.lead.push(line);
      continue;
    }
    const heading = headingOf(line);
    if (heading) {
      section.tasks.push(makeTask(section, section.tasks.length + 1, heading, false, [line]));
    } else if (section.tasks.length > 0) {
      // a paragraph after a task without its own heading continues that task
      const last = section.tasks.pop()!;
      section.tasks.push(makeTask(section, last.no, last.title, false, [...last.paragraphs, line]));
    } else {
      section.lead.push(line);
    }
  }
  flushSection();

  // the notice's title and date lines: keep everything, in order
  return {
    repairedText,
    repairs,
    notice: { id: 'notice', title: noticeParas[0] ?? '通知', paragraphs: noticeParas },
    foreword: { id: 'foreword', title: '前言', paragraphs: forewordParas },
    planTitle,
    chapters,
    figures,
  };
}
