// WordprocessingML style markup made from typed values (ECMA-376 5th ed., Part 1, §17): the
// paragraph and run properties of the GB/T 9704 styles (gbt9704.ts) are given as objects and
// emitted here in their complex types' sequence order, which is written once below, so a child
// out of order (the Open XML SDK validator and Word reject it) cannot be typed again. Also the
// one text filter every run of a document goes through.
import { TextRun as DocxTextRun, type IRunOptions } from 'docx';

/** Characters XML 1.0 does not allow (§2.2 Char): C0 controls but tab/LF/CR, U+FFFE, U+FFFF. */
const INVALID_XML_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/** Text as XML allows it: the characters XML cannot carry dropped (the docx package keeps U+FFFE). */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML_CHARS, '');
}

/** docx's TextRun, its text through xmlText: every run of our documents is made with this one. */
export class TextRun extends DocxTextRun {
  constructor(o: string | IRunOptions) {
    super(typeof o === 'string' ? xmlText(o) : o.text === undefined ? o : { ...o, text: xmlText(o.text) });
  }
}

const esc = (v: string) => xmlText(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** ST_Jc, §17.18.44 (the values the styles use) */
export type Jc = 'left' | 'center' | 'right' | 'both';
/** ST_LineSpacingRule, §17.18.48 */
export type LineRule = 'auto' | 'exact' | 'atLeast';

/** CT_PPrBase, §17.3.1.26 (pPr in a style, §17.7.8.2): the properties the styles set */
export interface PPr {
  keepNext?: boolean;
  keepLines?: boolean;
  widowControl?: boolean;
  autoSpaceDE?: boolean;
  autoSpaceDN?: boolean;
  snapToGrid?: boolean;
  /** CT_Spacing, §17.3.1.33: twips */
  spacing?: { before: number; after: number; line: number; lineRule: LineRule };
  /** CT_Ind, §17.3.1.12: twips and hundredths of a character */
  ind?: { firstLine: number; firstLineChars: number };
  jc?: Jc;
  /** 0-based outline level, §17.3.1.20 */
  outlineLvl?: number;
}

/** CT_PPrBase's sequence, §17.3.1.26: every property of PPr, in the schema's order */
const PPR_ORDER = [
  'keepNext',
  'keepLines',
  'widowControl',
  'autoSpaceDE',
  'autoSpaceDN',
  'snapToGrid',
  'spacing',
  'ind',
  'jc',
  'outlineLvl',
] as const satisfies readonly (keyof PPr)[];

/** CT_RPr's EG_RPrBase, §17.3.2.28, as a style's rPr may hold it (§17.7.9.1) */
export interface RPr {
  /** CT_Fonts, §17.3.2.26: the East Asian face and the Latin one (ascii, hAnsi, cs) */
  rFonts?: { eastAsia: string; latin: string };
  b?: boolean;
  bCs?: boolean;
  i?: boolean;
  /** ST_HexColor, §17.18.38, e.g. 000000 */
  color?: string;
  /** character spacing, twentieths of a point (§17.3.2.35) */
  spacing?: number;
  /** font size in points (sz and szCs, half-points in the file) */
  sizePt?: number;
  /**
   * shading, §17.3.2.32: the background a style can give text. (A style's rPr has no highlight
   * in the Open XML SDK's schema, nor in Word: a run carries its own highlight.)
   */
  shdFill?: string;
  /** CT_Language, §17.3.2.20 */
  lang?: { val: string; eastAsia: string; bidi: string };
}

/** EG_RPrBase's sequence, §17.3.2.28 (sz, szCs being one property here): every property of RPr, in order */
const RPR_ORDER = ['rFonts', 'b', 'bCs', 'i', 'color', 'spacing', 'sizePt', 'shdFill', 'lang'] as const satisfies readonly (keyof RPr)[];

// every property has its place in the order: a property added to PPr or RPr but not to its order is a type error
type Missing<T, O extends readonly (keyof T)[]> = Exclude<keyof T, O[number]>;
const everyPPr: [Missing<PPr, typeof PPR_ORDER>] extends [never] ? true : never = true;
const everyRPr: [Missing<RPr, typeof RPR_ORDER>] extends [never] ? true : never = true;
void everyPPr;
void everyRPr;

const onOff = (name: string, v: boolean | undefined) => (v === undefined ? '' : v ? `<w:${name}/>` : `<w:${name} w:val="0"/>`);

export function pPrXml(p: PPr): string {
  let s = '';
  for (const k of PPR_ORDER) {
    switch (k) {
      case 'spacing':
        if (p.spacing) s += `<w:spacing w:before="${p.spacing.before}" w:after="${p.spacing.after}" w:line="${p.spacing.line}" w:lineRule="${p.spacing.lineRule}"/>`;
        break;
      case 'ind':
        if (p.ind) s += `<w:ind w:firstLine="${p.ind.firstLine}" w:firstLineChars="${p.ind.firstLineChars}"/>`;
        break;
      case 'jc':
        if (p.jc) s += `<w:jc w:val="${p.jc}"/>`;
        break;
      case 'outlineLvl':
        if (p.outlineLvl !== undefined) s += `<w:outlineLvl w:val="${p.outlineLvl}"/>`;
        break;
      default:
        s += onOff(k, p[k]);
    }
  }
  return `<w:pPr>${s}</w:pPr>`;
}

export function rPrXml(r: RPr): string {
  let s = '';
  for (const k of RPR_ORDER) {
    switch (k) {
      case 'rFonts':
        if (r.rFonts) {
          const l = esc(r.rFonts.latin);
          s += `<w:rFonts w:ascii="${l}" w:hAnsi="${l}" w:eastAsia="${esc(r.rFonts.eastAsia)}" w:cs="${l}" w:hint="eastAsia"/>`;
        }
        break;
      case 'color':
        if (r.color) s += `<w:color w:val="${r.color}"/>`;
        break;
      case 'spacing':
        if (r.spacing !== undefined) s += `<w:spacing w:val="${r.spacing}"/>`;
        break;
      case 'sizePt':
        if (r.sizePt !== undefined) s += `<w:sz w:val="${Math.round(r.sizePt * 2)}"/><w:szCs w:val="${Math.round(r.sizePt * 2)}"/>`;
        break;
      case 'shdFill':
        if (r.shdFill) s += `<w:shd w:val="clear" w:color="auto" w:fill="${r.shdFill}"/>`;
        break;
      case 'lang':
        if (r.lang) s += `<w:lang w:val="${r.lang.val}" w:eastAsia="${r.lang.eastAsia}" w:bidi="${r.lang.bidi}"/>`;
        break;
      default:
        s += onOff(k, r[k]);
    }
  }
  return `<w:rPr>${s}</w:rPr>`;
}

/** CT_Style, §17.7.4.17: the style's attributes and the children the GB/T 9704 styles use */
export interface StyleDef {
  type: 'paragraph' | 'character' | 'table';
  id: string;
  isDefault?: boolean;
  custom?: boolean;
  name: string;
  basedOn?: string;
  next?: string;
  uiPriority?: number;
  semiHidden?: boolean;
  unhideWhenUsed?: boolean;
  qFormat?: boolean;
  pPr?: PPr;
  rPr?: RPr;
  /** CT_TblPrBase markup (the default table style's cell margins) */
  tblPr?: string;
}

/** CT_Style's sequence, §17.7.4.17: every child of StyleDef, in the schema's order */
const STYLE_ORDER = ['name', 'basedOn', 'next', 'uiPriority', 'semiHidden', 'unhideWhenUsed', 'qFormat', 'pPr', 'rPr', 'tblPr'] as const satisfies readonly (keyof StyleDef)[];
const everyStyleChild: [Exclude<keyof StyleDef, (typeof STYLE_ORDER)[number] | 'type' | 'id' | 'isDefault' | 'custom'>] extends [never] ? true : never = true;
void everyStyleChild;

export function styleXml(d: StyleDef): string {
  let s = '';
  for (const k of STYLE_ORDER) {
    switch (k) {
      case 'name':
      case 'basedOn':
      case 'next':
        if (d[k] !== undefined) s += `<w:${k} w:val="${esc(d[k])}"/>`;
        break;
      case 'uiPriority':
        if (d.uiPriority !== undefined) s += `<w:uiPriority w:val="${d.uiPriority}"/>`;
        break;
      case 'pPr':
        if (d.pPr) s += pPrXml(d.pPr);
        break;
      case 'rPr':
        if (d.rPr) s += rPrXml(d.rPr);
        break;
      case 'tblPr':
        if (d.tblPr) s += d.tblPr;
        break;
      default:
        if (d[k]) s += `<w:${k}/>`;
    }
  }
  return `<w:style w:type="${d.type}"${d.isDefault ? ' w:default="1"' : ''}${d.custom ? ' w:customStyle="1"' : ''} w:styleId="${esc(d.id)}">${s}</w:style>`;
}
