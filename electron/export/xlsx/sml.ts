// SpreadsheetML markup made from typed values (ECMA-376 5th ed., Part 1, §18): the schema's
// enumerations and element orders are written here once, as const lists, and the writer
// (sheet.ts) says what it wants as typed objects. A value outside an enumeration is a type
// error, and children are always emitted in the order their complex type's sequence gives, so
// neither can be typed wrongly again (the Open XML SDK validator and openpyxl reject both).

/** Only what XML 1.0 allows as character data (§2.2 Char): no C0 controls but tab/LF/CR, no U+FFFE/U+FFFF. */
export const INVALID_XML_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

export function escAttr(s: string): string {
  return s.replace(INVALID_XML_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The children of an element in its complex type's sequence order: `order` lists the child
 * names as the schema orders them, `parts` gives the markup of those present.
 */
export function ordered<K extends string>(order: readonly K[], parts: Partial<Record<K, string>>): string {
  let s = '';
  for (const k of order) s += parts[k] ?? '';
  return s;
}

/** attributes from a record: undefined ones left out (attribute order is free in XML) */
function attrs(a: Record<string, string | number | boolean | undefined>): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    s += ` ${k}="${typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : escAttr(v)}"`;
  }
  return s;
}

// ---------------------------------------------------------------- styles (§18.8)

/** ST_HorizontalAlignment, §18.18.40 */
export const H_ALIGN = ['general', 'left', 'center', 'right', 'fill', 'justify', 'centerContinuous', 'distributed'] as const;
export type HAlign = (typeof H_ALIGN)[number];
/** ST_VerticalAlignment, §18.18.88 (there is no "middle") */
export const V_ALIGN = ['top', 'center', 'bottom', 'justify', 'distributed'] as const;
export type VAlign = (typeof V_ALIGN)[number];
/** ST_BorderStyle, §18.18.3 (the ones the writer uses) */
export type BorderStyle = 'none' | 'thin' | 'medium' | 'dashed' | 'dotted' | 'thick' | 'double' | 'hair';
/** ST_PatternType, §18.18.55 (the ones the writer uses) */
export type PatternType = 'none' | 'solid' | 'gray125';

/** an ARGB colour, e.g. FF1F4E79 (ST_UnsignedIntHex) */
export type Argb = string;

/** CT_Font, §18.8.22: its children in the order Excel writes them (b … sz, color, name, family) */
const CT_FONT = ['b', 'i', 'sz', 'color', 'name', 'family'] as const;
export interface Font {
  name: string;
  sizePt: number;
  bold?: boolean;
  color?: Argb;
}
export function fontXml(f: Font): string {
  return `<font>${ordered(CT_FONT, {
    b: f.bold ? '<b/>' : undefined,
    sz: `<sz val="${f.sizePt}"/>`,
    color: f.color ? `<color rgb="${f.color}"/>` : undefined,
    name: `<name${attrs({ val: f.name })}/>`,
    family: '<family val="2"/>',
  })}</font>`;
}

/** CT_Fill with CT_PatternFill, §18.8.20 and §18.8.32 (children fgColor, bgColor) */
export function fillXml(pattern: PatternType, fg?: Argb): string {
  return fg ? `<fill><patternFill patternType="${pattern}"><fgColor rgb="${fg}"/></patternFill></fill>` : `<fill><patternFill patternType="${pattern}"/></fill>`;
}

/** CT_Border, §18.8.4: its sides in the schema's order */
const CT_BORDER = ['left', 'right', 'top', 'bottom', 'diagonal'] as const;
export type BorderSides = Partial<Record<(typeof CT_BORDER)[number], { style: BorderStyle; color?: Argb }>>;
export function borderXml(sides: BorderSides): string {
  const side = (k: (typeof CT_BORDER)[number]) => {
    const s = sides[k];
    if (!s) return `<${k}/>`;
    return s.color ? `<${k} style="${s.style}"><color rgb="${s.color}"/></${k}>` : `<${k} style="${s.style}"/>`;
  };
  return `<border>${CT_BORDER.map(side).join('')}</border>`;
}

/** CT_CellAlignment, §18.8.1 */
export interface Alignment {
  horizontal?: HAlign;
  vertical?: VAlign;
  wrapText?: boolean;
}

/** CT_Xf, §18.8.45: attributes, then children alignment, protection (CT_CellProtection §18.8.33) */
const CT_XF = ['alignment', 'protection'] as const;
export interface Xf {
  numFmtId: number;
  fontId: number;
  fillId: number;
  borderId: number;
  alignment?: Alignment;
  locked?: boolean;
}
export function xfXml(x: Xf): string {
  const a = x.alignment;
  const children = ordered(CT_XF, {
    alignment: a ? `<alignment${attrs({ horizontal: a.horizontal, vertical: a.vertical, wrapText: a.wrapText || undefined })}/>` : undefined,
    protection: x.locked === undefined ? undefined : `<protection locked="${x.locked ? 1 : 0}"/>`,
  });
  const head =
    `<xf${attrs({ numFmtId: x.numFmtId, fontId: x.fontId, fillId: x.fillId, borderId: x.borderId, xfId: 0 })}` +
    attrs({
      applyNumberFormat: x.numFmtId ? true : undefined,
      applyFont: x.fontId ? true : undefined,
      applyFill: x.fillId ? true : undefined,
      applyBorder: x.borderId ? true : undefined,
      applyAlignment: a ? true : undefined,
      applyProtection: x.locked === undefined ? undefined : true,
    });
  return children ? `${head}>${children}</xf>` : `${head}/>`;
}

/** CT_Stylesheet, §18.8.39: its parts in the schema's order */
const CT_STYLESHEET = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles'] as const;
export function stylesheetXml(s: { numFmts: string[]; fonts: string[]; fills: string[]; borders: string[]; cellXfs: string[] }, ns: string): string {
  const list = (name: string, items: string[]) => `<${name} count="${items.length}">${items.join('')}</${name}>`;
  return `<styleSheet xmlns="${ns}">${ordered(CT_STYLESHEET, {
    numFmts: s.numFmts.length ? list('numFmts', s.numFmts.map((f, i) => `<numFmt numFmtId="${164 + i}"${attrs({ formatCode: f })}/>`)) : undefined,
    fonts: list('fonts', s.fonts),
    fills: list('fills', s.fills),
    borders: list('borders', s.borders),
    cellStyleXfs: '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
    cellXfs: list('cellXfs', s.cellXfs),
    cellStyles: '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
    dxfs: '<dxfs count="0"/>',
    tableStyles: '<tableStyles count="0"/>',
  })}</styleSheet>`;
}

// ---------------------------------------------------------------- the worksheet (§18.3)

/** CT_Worksheet, §18.3.1.99: the sequence of its children before sheetData … */
const CT_WORKSHEET_HEAD = ['sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols'] as const;
/** … and after it (up to extLst) */
const CT_WORKSHEET_TAIL = [
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
] as const;
export type WorksheetPart = (typeof CT_WORKSHEET_HEAD)[number] | (typeof CT_WORKSHEET_TAIL)[number];

/**
 * The worksheet's markup around its sheetData, which is streamed: `head` (the children before
 * sheetData, then `<sheetData>`) and `tail` (`</sheetData>`, then the children after it), each
 * in the schema's order.
 */
export function worksheetFrame(parts: Partial<Record<WorksheetPart, string>>, ns: string, nsRel: string): { head: string; tail: string } {
  return {
    head: `<worksheet xmlns="${ns}" xmlns:r="${nsRel}">${ordered(CT_WORKSHEET_HEAD, parts)}<sheetData>`,
    tail: `</sheetData>${ordered(CT_WORKSHEET_TAIL, parts)}</worksheet>`,
  };
}

/** ST_DataValidationErrorStyle, §18.18.18 */
export const DV_ERROR_STYLE = ['stop', 'warning', 'information'] as const;
export type DvErrorStyle = (typeof DV_ERROR_STYLE)[number];

/** CT_DataValidation, §18.3.1.32: a list validation (its one child formula1) */
export function listValidationXml(v: {
  sqref: string;
  formula: string;
  errorStyle: DvErrorStyle;
  allowBlank: boolean;
  errorTitle: string;
  error: string;
  prompt?: string;
}): string {
  return (
    `<dataValidation${attrs({
      type: 'list',
      errorStyle: v.errorStyle,
      allowBlank: v.allowBlank,
      showInputMessage: v.prompt ? true : undefined,
      showErrorMessage: true,
      errorTitle: v.errorTitle,
      error: v.error,
      promptTitle: v.prompt ? v.errorTitle : undefined,
      prompt: v.prompt,
      sqref: v.sqref,
    })}>` + `<formula1>${escAttr(v.formula)}</formula1></dataValidation>`
  );
}
