// The one module that holds the GB/T 9704-2012 page and type settings. Every Word document of the
// workbench (allocation scheme, briefing, department letter) is built with GbDocument, from a
// DocTemplate (shared/template.ts) the settings page can change.
//
// East Asian and Latin fonts are set separately everywhere: document defaults, every paragraph
// and character style, table cells, footers.
//
// The 22 × 28 grid: 22 lines come from an exact line pitch (text height / 22 = 579 twips) and a
// line docGrid with that pitch. 28 characters come from condensing the body characters by the
// difference between the character pitch (text width / 28 = 15.79 pt) and the 16 pt size, not
// from a linesAndChars grid with a negative charSpace: Word honours that, but LibreOffice puts
// every 16 pt character into two 15.79 pt grid cells (14 characters a line), so the same file
// would read differently in different programs. Word, WPS and LibreOffice all lay the condensed
// text out as 28 characters a line.
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Header,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  ImportedXmlComponent,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type ISectionOptions,
  type ParagraphChild,
} from 'docx';
import { pPrXml, rPrXml, styleXml, TextRun, xmlText, type PPr, type RPr } from './wml';
import { A4_HEIGHT_MM, A4_WIDTH_MM, type DocTemplate } from '../../../shared/template';

export const mmToTwip = (mm: number): number => Math.round((mm * 1440) / 25.4);
const ptToTwip = (pt: number): number => Math.round(pt * 20);
const halfPoints = (pt: number): number => Math.round(pt * 2);

export const A4_WIDTH_TWIPS = mmToTwip(A4_WIDTH_MM); // 11906
export const A4_HEIGHT_TWIPS = mmToTwip(A4_HEIGHT_MM); // 16838

/** East Asian and Latin faces, always given separately. */
export function fontPair(eastAsia: string, latin: string) {
  return { eastAsia, ascii: latin, hAnsi: latin, cs: latin };
}

export interface GbLayout {
  margins: { top: number; bottom: number; left: number; right: number; header: number; footer: number };
  /** text area in twips (portrait) */
  textWidth: number;
  textHeight: number;
  /** exact line pitch from linesPerPage over the text height, in twips (579 for the defaults) */
  linePitch: number;
  /** character pitch from charsPerLine over the text width, in twips */
  charPitch: number;
  /** docGrid charSpace: (char pitch − body size) in 1/4096 pt — as Word would write it for linesAndChars */
  charSpace: number;
  /** character spacing of the body (twentieths of a point) that makes charsPerLine characters fill a line */
  charCondense: number;
}

export function layoutOf(t: DocTemplate): GbLayout {
  const textWidth = mmToTwip(A4_WIDTH_MM - t.marginLeftMm - t.marginRightMm);
  const textHeight = mmToTwip(A4_HEIGHT_MM - t.marginTopMm - t.marginBottomMm);
  const linePitch = Math.floor(textHeight / t.linesPerPage);
  const charPitchExact = textWidth / t.charsPerLine;
  const charSpace = Math.round((charPitchExact / 20 - t.bodySizePt) * 4096);
  // page number: its one-dash line 7 mm below the text area (GB/T 9704-2012 7.5)
  const footer = Math.max(mmToTwip(5), mmToTwip(t.marginBottomMm - 7) - ptToTwip(t.pageNumberSizePt * 1.2));
  return {
    margins: {
      top: mmToTwip(t.marginTopMm),
      bottom: mmToTwip(t.marginBottomMm),
      left: mmToTwip(t.marginLeftMm),
      right: mmToTwip(t.marginRightMm),
      header: mmToTwip(15),
      footer,
    },
    textWidth,
    textHeight,
    linePitch,
    charPitch: Math.round(charPitchExact),
    charSpace,
    charCondense: Math.floor(charPitchExact - t.bodySizePt * 20),
  };
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return (tens === 1 ? '' : CN_DIGITS[tens]) + '十' + (ones ? CN_DIGITS[ones] : '');
}

/** 2026-11-28 → 2026年11月28日 (Arabic numerals, as GB/T 9704-2012 writes 成文日期). */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A deadline as people write it in a task list: 2025年底, 2025年6月底, 2025年6月15日. */
export function deadlineText(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m === 12 && d === 31) return `${y}年底`;
  if (d === last) return `${y}年${m}月底`;
  return `${y}年${m}月${d}日`;
}

/** Width of a line of text counted in body characters: CJK 1, Latin letters and digits ½. */
export function textWidthChars(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

/**
 * Break a long title into balanced lines at natural places (after 规划/的, before （), as
 * GB/T 9704-2012 asks: 词意完整，排列对称. Titles that fit stay on one line.
 */
export function splitTitle(title: string, maxChars: number): string[] {
  if (title.length <= maxChars) return [title];
  const chars = [...title];
  const candidates: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const prev = chars[i - 1];
    const cur = chars[i];
    if (cur === '（' || prev === '的' || (prev === '划' && chars[i - 2] === '规') || prev === '于') candidates.push(i);
  }
  const fits = candidates.filter((i) => i <= maxChars && chars.length - i <= maxChars);
  if (fits.length === 0) return [title];
  // a bracketed scope goes on a line of its own when the rest fits
  const bracket = fits.filter((i) => chars[i] === '（');
  if (bracket.length) return [chars.slice(0, bracket[bracket.length - 1]).join(''), chars.slice(bracket[bracket.length - 1]).join('')];
  const mid = chars.length / 2;
  const best = fits.reduce((a, b) => (Math.abs(b - mid) < Math.abs(a - mid) ? b : a));
  return [chars.slice(0, best).join(''), chars.slice(best).join('')];
}

export interface GbColumn {
  header: string;
  /** relative width; the columns are scaled to fill the text width */
  weight: number;
  align?: 'left' | 'center';
}

export type GbCell = string | { text: string; merge?: 'start' | 'continue'; align?: 'left' | 'center'; bold?: boolean };

export interface GbSectionOptions {
  landscape?: boolean;
}

const STYLE = {
  tableText: 'GbTableText',
  tableHead: 'GbTableHead',
  subtitle: 'GbSubtitle',
  recipient: 'GbRecipient',
  signature: 'GbSignature',
  attachmentLabel: 'GbAttachmentLabel',
  footer: 'GbPageNumber',
  title: 'GbTitle',
  placeholder: 'GbPlaceholder',
} as const;

/** The text a writer replaces: 【请在此处……】, highlighted, in a character style of its own (待填写). */
export const PLACEHOLDER_STYLE = STYLE.placeholder;

export class GbDocument {
  readonly L: GbLayout;
  private sections: ISectionOptions[] = [];
  private children: (Paragraph | Table)[] = [];
  private landscape = false;
  private counters = [0, 0, 0, 0];

  constructor(
    readonly t: DocTemplate,
    private meta: { title: string; description?: string; creator?: string } = { title: '' },
  ) {
    this.L = layoutOf(t);
  }

  // ---- fonts and sizes
  private body() {
    return fontPair(this.t.bodyFont, this.t.latinFont);
  }
  private bodySize() {
    return halfPoints(this.t.bodySizePt);
  }
  /** one body character, in twips (for 空一字 / 空二字) */
  charTw(n = 1): number {
    return Math.round(this.L.charPitch * n);
  }
  /** the width the current section's text area has */
  get currentTextWidth(): number {
    return this.landscape ? mmToTwip(A4_HEIGHT_MM - this.t.marginLeftMm - this.t.marginRightMm) : this.L.textWidth;
  }

  private exact(lineTw: number) {
    return { line: lineTw, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  }

  // ---- content
  /** 标题: 方正小标宋简体 二号, centred, long titles broken into balanced lines; a blank line after. */
  title(text: string): this {
    const maxChars = Math.floor(this.currentTextWidth / ptToTwip(this.t.titleSizePt));
    const lines = splitTitle(text, maxChars);
    lines.forEach((line, i) =>
      this.children.push(
        new Paragraph({
          style: STYLE.title,
          spacing: i === lines.length - 1 ? { after: this.L.linePitch } : undefined,
          children: [new TextRun(line)],
        }),
      ),
    );
    return this;
  }

  /** A line under the title, e.g. （截至2026年11月28日）, 楷体 centred. */
  subtitle(text: string): this {
    this.children.push(new Paragraph({ style: STYLE.subtitle, children: [new TextRun(text)] }));
    return this;
  }

  /** 主送机关: flush left, ending with a full-width colon. */
  recipient(text: string): this {
    const t = text.replace(/[:：]\s*$/, '');
    this.children.push(new Paragraph({ style: STYLE.recipient, children: [new TextRun(`${t}：`)] }));
    return this;
  }

  /** A body paragraph: 仿宋 三号, first line indented two characters, exact line pitch. */
  para(content: string | ParagraphChild[], opts: { noIndent?: boolean; align?: 'left' | 'center' | 'right'; keepNext?: boolean } = {}): this {
    const children = typeof content === 'string' ? [new TextRun(content)] : content;
    this.children.push(
      new Paragraph({
        children,
        keepNext: opts.keepNext,
        alignment:
          opts.align === 'center' ? AlignmentType.CENTER : opts.align === 'right' ? AlignmentType.RIGHT : opts.align === 'left' ? AlignmentType.LEFT : undefined,
        indent: opts.noIndent ? { firstLine: 0, firstLineChars: 0 } : undefined,
      }),
    );
    return this;
  }

  /** A run of body text (for mixing with placeholders and bold lead-ins). */
  run(text: string, opts: { bold?: boolean } = {}): TextRun {
    return new TextRun({ text, bold: opts.bold });
  }

  /** Words the writer must supply: 【请在此处……】, highlighted, in the 待填写 character style. */
  placeholder(text: string): TextRun {
    const t = text.startsWith('【') ? text : `【${text}】`;
    return new TextRun({ text: t, style: STYLE.placeholder, highlight: 'yellow' });
  }

  /** A whole paragraph left for the writer. */
  placeholderPara(text: string): this {
    return this.para([this.placeholder(text)]);
  }

  /**
   * Headings with automatic numbering: level 1 一、 (黑体), level 2 （一） (楷体), level 3 1. (仿宋
   * bold), level 4 （1） (仿宋). A heading resets the counters below it. `rest` continues the
   * paragraph in body type (a run-in heading, as 公文 often writes level 3 and 4).
   */
  heading(level: 1 | 2 | 3 | 4, text: string, rest?: string | ParagraphChild[]): this {
    this.counters[level - 1]++;
    for (let i = level; i < this.counters.length; i++) this.counters[i] = 0;
    const n = this.counters[level - 1];
    const label = level === 1 ? `${chineseNumber(n)}、` : level === 2 ? `（${chineseNumber(n)}）` : level === 3 ? `${n}.` : `（${n}）`;
    const heading = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4][level - 1];
    const restRuns: ParagraphChild[] =
      rest === undefined ? [] : typeof rest === 'string' ? [new TextRun({ text: rest, font: this.body(), bold: false })] : rest;
    this.children.push(new Paragraph({ heading, keepNext: rest === undefined, children: [new TextRun(label + text), ...restRuns] }));
    return this;
  }

  /** Start numbering headings from 一、 again (a new attachment). */
  resetNumbering(): this {
    this.counters = [0, 0, 0, 0];
    return this;
  }

  blank(): this {
    this.children.push(new Paragraph({ children: [] }));
    return this;
  }

  pageBreak(): this {
    this.children.push(new Paragraph({ children: [new PageBreak()] }));
    return this;
  }

  /** 附件说明: 附件：1．… on the first line, the others aligned under the first item. */
  attachmentNote(items: string[]): this {
    if (items.length === 0) return this;
    const many = items.length > 1;
    items.forEach((item, i) => {
      const text = many ? `${i + 1}．${item}` : item;
      if (i === 0) {
        this.children.push(new Paragraph({ spacing: { before: this.L.linePitch }, children: [new TextRun(`附件：${text}`)] }));
      } else {
        this.children.push(new Paragraph({ indent: { left: this.charTw(5), firstLine: 0, firstLineChars: 0 }, children: [new TextRun(text)] }));
      }
    });
    return this;
  }

  /** 附件1: 黑体, flush left, at the top of the attachment's first page. */
  attachmentLabel(text: string): this {
    this.children.push(new Paragraph({ style: STYLE.attachmentLabel, children: [new TextRun(text)] }));
    return this;
  }

  /**
   * 落款 without a seal (GB/T 9704-2012 7.3.5.2): a blank line, the organ 右空二字, the date on the
   * next line starting two characters to the right of the organ's first character (if the date
   * is longer, the date keeps 右空二字 and the organ moves left).
   */
  signature(organ: string, isoDate: string): this {
    const date = chineseDate(isoDate);
    const wo = textWidthChars(organ);
    const wd = textWidthChars(date);
    let organRight = 2;
    let dateRight = organRight + wo - 2 - wd;
    if (dateRight < 2) {
      dateRight = 2;
      organRight = dateRight + wd + 2 - wo;
    }
    this.children.push(new Paragraph({ children: [] }));
    this.children.push(
      new Paragraph({ style: STYLE.signature, indent: { right: this.charTw(organRight), firstLine: 0, firstLineChars: 0 }, children: [new TextRun(organ)] }),
    );
    this.children.push(
      new Paragraph({ style: STYLE.signature, indent: { right: this.charTw(dateRight), firstLine: 0, firstLineChars: 0 }, children: [new TextRun(date)] }),
    );
    return this;
  }

  /**
   * A framed table in the table font: the header row repeats on every page (tblHeader) and no
   * row splits across pages (cantSplit). Columns are scaled to the current text width.
   * `merge: 'start' | 'continue'` merges a column's cells vertically.
   */
  table(columns: GbColumn[], rows: GbCell[][]): Table {
    const width = this.currentTextWidth;
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => Math.floor((c.weight / total) * width));
    widths[widths.length - 1] += width - widths.reduce((s, w) => s + w, 0);
    const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
    const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
    const cellPara = (text: string, style: string, align: 'left' | 'center', bold?: boolean) =>
      text
        .split('\n')
        .map(
          (line) =>
            new Paragraph({
              style,
              alignment: align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
              children: [new TextRun({ text: line, bold })],
            }),
        );
    const header = new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: columns.map(
        (c, i) =>
          new TableCell({
            width: { size: widths[i], type: WidthType.DXA },
            verticalAlign: VerticalAlignTable.CENTER,
            children: cellPara(c.header, STYLE.tableHead, 'center'),
          }),
      ),
    });
    const body = rows.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          children: columns.map((c, i) => {
            const cell = r[i] ?? '';
            const o = typeof cell === 'string' ? { text: cell } : cell;
            return new TableCell({
              width: { size: widths[i], type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.CENTER,
              verticalMerge: o.merge === 'start' ? VerticalMergeType.RESTART : o.merge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
              children: cellPara(o.merge === 'continue' ? '' : o.text, STYLE.tableText, o.align ?? c.align ?? 'left', o.bold),
            });
          }),
        }),
    );
    const table = new Table({
      rows: [header, ...body],
      width: { size: width, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders,
      margins: { left: 85, right: 85, top: 30, bottom: 30 },
    });
    this.children.push(table);
    return table;
  }

  /** Close the current section and start a new one (landscape for wide tables). */
  newSection(opts: GbSectionOptions = {}): this {
    this.flushSection();
    this.landscape = !!opts.landscape;
    return this;
  }

  private pageNumberFooter(side: 'odd' | 'even'): Footer {
    return new Footer({
      children: [
        new Paragraph({
          style: STYLE.footer,
          alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          // 单页码居右空一字，双页码居左空一字
          indent:
            side === 'odd'
              ? { right: ptToTwip(this.t.pageNumberSizePt), firstLine: 0, firstLineChars: 0 }
              : { left: ptToTwip(this.t.pageNumberSizePt), firstLine: 0, firstLineChars: 0 },
          children: [
            new TextRun({
              children: ['— ', PageNumber.CURRENT, ' —'],
              font: fontPair(this.t.pageNumberFont, this.t.pageNumberFont),
              size: halfPoints(this.t.pageNumberSizePt),
            }),
          ],
        }),
      ],
    });
  }

  private emptyHeader(): Header {
    return new Header({ children: [new Paragraph({ style: STYLE.footer, children: [] })] });
  }

  private flushSection(): void {
    if (this.children.length === 0 && this.sections.length > 0) return;
    const m = this.L.margins;
    this.sections.push({
      properties: {
        page: {
          size: {
            width: A4_WIDTH_TWIPS,
            height: A4_HEIGHT_TWIPS,
            orientation: this.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
          },
          margin: { top: m.top, bottom: m.bottom, left: m.left, right: m.right, header: m.header, footer: m.footer, gutter: 0 },
        },
        grid: { type: DocumentGridType.LINES, linePitch: this.L.linePitch },
      },
      headers: { default: this.emptyHeader(), even: this.emptyHeader() },
      footers: { default: this.pageNumberFooter('odd'), even: this.pageNumberFooter('even') },
      children: this.children,
    });
    this.children = [];
  }

  /**
   * styles.xml, written out whole: the docx package's style options cannot say snapToGrid, and
   * without it LibreOffice and WPS stretch table text and titles onto the 22-line grid.
   */
  private styles() {
    const t = this.t;
    const lp = this.L.linePitch;
    const tableLine = ptToTwip(Math.ceil(t.tableSizePt * 1.45));
    const titleLine = Math.max(lp, ptToTwip(t.titleSizePt * 1.5));
    const fonts = (eastAsia: string, latin = t.latinFont) => ({ eastAsia, latin });
    const exact = (line: number) => ({ before: 0, after: 0, line, lineRule: 'exact' as const });
    const noIndent = { firstLine: 0, firstLineChars: 0 };
    const twoChars = { firstLine: this.charTw(2), firstLineChars: 200 };
    const pStyle = (id: string, name: string, pPr: PPr, rPr: RPr) =>
      styleXml({ type: 'paragraph', custom: true, id, name, basedOn: 'Normal', next: 'Normal', qFormat: true, pPr, rPr });
    const heading = (level: 1 | 2 | 3 | 4, font: string, bold: boolean) =>
      styleXml({
        type: 'paragraph',
        id: `Heading${level}`,
        name: `heading ${level}`,
        basedOn: 'Normal',
        next: 'Normal',
        uiPriority: 9,
        qFormat: true,
        pPr: { keepNext: true, spacing: exact(lp), ind: twoChars, outlineLvl: level - 1 },
        rPr: { rFonts: fonts(font), b: bold, bCs: bold, i: false, color: '000000', sizePt: t.bodySizePt },
      });
    const xml = [
      `<w:docDefaults><w:rPrDefault>${rPrXml({ rFonts: fonts(t.bodyFont), sizePt: t.bodySizePt, lang: { val: 'en-US', eastAsia: 'zh-CN', bidi: 'ar-SA' } })}</w:rPrDefault>` +
        `<w:pPrDefault>${pPrXml({ spacing: exact(lp) })}</w:pPrDefault></w:docDefaults>`,
      // Normal: 仿宋_GB2312 三号, first line indented two characters, exact 22-line pitch; the
      // characters condensed just enough that charsPerLine of them fill a line.
      styleXml({
        type: 'paragraph',
        isDefault: true,
        id: 'Normal',
        name: 'Normal',
        qFormat: true,
        pPr: { widowControl: true, autoSpaceDE: false, autoSpaceDN: false, spacing: exact(lp), ind: twoChars, jc: 'both' },
        rPr: { rFonts: fonts(t.bodyFont), spacing: this.L.charCondense, sizePt: t.bodySizePt },
      }),
      styleXml({ type: 'character', isDefault: true, id: 'DefaultParagraphFont', name: 'Default Paragraph Font', uiPriority: 1, semiHidden: true, unhideWhenUsed: true }),
      styleXml({
        type: 'table',
        isDefault: true,
        id: 'TableNormal',
        name: 'Normal Table',
        uiPriority: 99,
        semiHidden: true,
        unhideWhenUsed: true,
        tblPr:
          '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>',
      }),
      pStyle(
        STYLE.title,
        '公文标题',
        { keepNext: true, snapToGrid: false, spacing: exact(titleLine), ind: noIndent, jc: 'center' },
        { rFonts: fonts(t.titleFont), color: '000000', spacing: 0, sizePt: t.titleSizePt },
      ),
      heading(1, t.heading1Font, false),
      heading(2, t.heading2Font, false),
      heading(3, t.heading3Font, true),
      heading(4, t.heading3Font, false),
      pStyle(STYLE.subtitle, '公文副标题', { ind: noIndent, jc: 'center' }, { rFonts: fonts(t.heading2Font) }),
      pStyle(STYLE.recipient, '公文主送机关', { keepNext: true, ind: noIndent }, {}),
      pStyle(STYLE.signature, '公文落款', { keepNext: true, keepLines: true, ind: noIndent, jc: 'right' }, {}),
      pStyle(STYLE.attachmentLabel, '公文附件标识', { keepNext: true, ind: noIndent, jc: 'left' }, { rFonts: fonts(t.heading1Font) }),
      pStyle(
        STYLE.tableText,
        '公文表格正文',
        { snapToGrid: false, spacing: exact(tableLine), ind: noIndent, jc: 'left' },
        { rFonts: fonts(t.tableFont), spacing: 0, sizePt: t.tableSizePt },
      ),
      pStyle(
        STYLE.tableHead,
        '公文表格表头',
        { keepNext: true, snapToGrid: false, spacing: exact(tableLine), ind: noIndent, jc: 'center' },
        { rFonts: fonts(t.heading1Font), spacing: 0, sizePt: t.tableSizePt },
      ),
      pStyle(
        STYLE.footer,
        '公文页码',
        { snapToGrid: false, spacing: { before: 0, after: 0, line: 240, lineRule: 'auto' }, ind: noIndent },
        // GB/T 9704-2012 7.5: 4号半角宋体阿拉伯数字 — digits and dashes in the page-number face
        { rFonts: fonts(t.pageNumberFont, t.pageNumberFont), spacing: 0, sizePt: t.pageNumberSizePt },
      ),
      // the style shades the text; each run carries the yellow highlight itself (placeholder())
      styleXml({
        type: 'character',
        custom: true,
        id: STYLE.placeholder,
        name: '待填写',
        basedOn: 'DefaultParagraphFont',
        qFormat: true,
        rPr: { rFonts: fonts(t.bodyFont), color: 'C00000', shdFill: 'FFFF00' },
      }),
    ];
    return { importedStyles: xml.map((x) => ImportedXmlComponent.fromXmlString(x)) };
  }

  build(): Document {
    this.flushSection();
    return new Document({
      title: xmlText(this.meta.title),
      description: this.meta.description === undefined ? undefined : xmlText(this.meta.description),
      creator: this.meta.creator ?? '长株潭规划工作台',
      evenAndOddHeaderAndFooters: true,
      styles: this.styles(),
      sections: this.sections,
    });
  }

  async toBuffer(): Promise<Buffer> {
    return Packer.toBuffer(this.build());
  }
}
