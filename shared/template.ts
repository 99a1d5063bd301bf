// The page and type settings of the Word documents (GB/T 9704-2012 by default). Pure: the
// settings page edits it, electron/export/docx/gbt9704.ts turns it into Word settings.
import { z } from 'zod';

export interface DocTemplate {
  /** page margins in millimetres (A4 portrait) */
  marginTopMm: number;
  marginBottomMm: number;
  marginLeftMm: number;
  marginRightMm: number;
  /** the body grid: lines per page and characters per line */
  linesPerPage: number;
  charsPerLine: number;
  /** 标题 */
  titleFont: string;
  titleSizePt: number;
  /** 正文 */
  bodyFont: string;
  bodySizePt: number;
  /** 一、 */
  heading1Font: string;
  /** （一） */
  heading2Font: string;
  /** 1. (bold) and （1） */
  heading3Font: string;
  /** Latin letters and digits in all text except page numbers */
  latinFont: string;
  /** 页码 “— 1 —” */
  pageNumberFont: string;
  pageNumberSizePt: number;
  /** 表格 */
  tableFont: string;
  tableSizePt: number;
  /** the 落款 organ */
  organ: string;
}

export const DEFAULT_TEMPLATE: DocTemplate = Object.freeze({
  marginTopMm: 37,
  marginBottomMm: 35,
  marginLeftMm: 28,
  marginRightMm: 26,
  linesPerPage: 22,
  charsPerLine: 28,
  titleFont: '方正小标宋简体',
  titleSizePt: 22,
  bodyFont: '仿宋_GB2312',
  bodySizePt: 16,
  heading1Font: '黑体',
  heading2Font: '楷体_GB2312',
  heading3Font: '仿宋_GB2312',
  latinFont: 'Times New Roman',
  pageNumberFont: '宋体',
  pageNumberSizePt: 14,
  tableFont: '仿宋_GB2312',
  tableSizePt: 10.5,
  organ: '长株潭一体化发展领导小组办公室',
});

export const A4_WIDTH_MM = 210;
export const A4_HEIGHT_MM = 297;

const margin = (name: string) =>
  z
    .number({ message: `${name}应为数字` })
    .min(10, `${name}不能小于10毫米`)
    .max(60, `${name}不能大于60毫米`);
const font = (name: string) =>
  z
    .string({ message: `${name}应为字体名称` })
    .trim()
    .min(1, `${name}不能为空`)
    .max(40, `${name}不能超过40个字符`)
    .regex(/^[^<>&"]+$/, `${name}含有不允许的字符`);
const size = (name: string, min: number, max: number) =>
  z
    .number({ message: `${name}应为数字` })
    .min(min, `${name}不能小于${min}磅`)
    .max(max, `${name}不能大于${max}磅`)
    .refine((v) => Number.isInteger(v * 2), `${name}须为0.5磅的整数倍`);

export const docTemplateSchema = z
  .object({
    marginTopMm: margin('上边距'),
    marginBottomMm: margin('下边距'),
    marginLeftMm: margin('左边距'),
    marginRightMm: margin('右边距'),
    linesPerPage: z.number({ message: '每页行数应为数字' }).int('每页行数须为整数').min(15, '每页行数不能少于15行').max(40, '每页行数不能多于40行'),
    charsPerLine: z.number({ message: '每行字数应为数字' }).int('每行字数须为整数').min(15, '每行字数不能少于15字').max(40, '每行字数不能多于40字'),
    titleFont: font('标题字体'),
    titleSizePt: size('标题字号', 12, 36),
    bodyFont: font('正文字体'),
    bodySizePt: size('正文字号', 9, 22),
    heading1Font: font('一级标题字体'),
    heading2Font: font('二级标题字体'),
    heading3Font: font('三级标题字体'),
    latinFont: font('西文字体'),
    pageNumberFont: font('页码字体'),
    pageNumberSizePt: size('页码字号', 9, 18),
    tableFont: font('表格字体'),
    tableSizePt: size('表格字号', 7.5, 16),
    organ: z.string({ message: '落款单位应为文字' }).trim().min(1, '落款单位不能为空').max(60, '落款单位不能超过60个字符'),
  })
  .strict()
  .superRefine((t, ctx) => {
    const textW = A4_WIDTH_MM - t.marginLeftMm - t.marginRightMm;
    const textH = A4_HEIGHT_MM - t.marginTopMm - t.marginBottomMm;
    const ptPerMm = 72 / 25.4;
    const linePitchPt = (textH * ptPerMm) / t.linesPerPage;
    const charPitchPt = (textW * ptPerMm) / t.charsPerLine;
    if (linePitchPt < t.bodySizePt * 1.1) {
      ctx.addIssue({
        code: 'custom',
        path: ['linesPerPage'],
        message: `每页${t.linesPerPage}行时行距只有${linePitchPt.toFixed(1)}磅，放不下${t.bodySizePt}磅的正文，请减少行数或调小字号`,
      });
    }
    if (charPitchPt < t.bodySizePt * 0.8 || charPitchPt > t.bodySizePt * 1.5) {
      ctx.addIssue({
        code: 'custom',
        path: ['charsPerLine'],
        message: `每行${t.charsPerLine}字时字距为${charPitchPt.toFixed(1)}磅，与${t.bodySizePt}磅的正文字号不相称，请调整每行字数、左右边距或字号`,
      });
    }
  });

/** Fill what an older stored template lacks with the defaults. */
export function withTemplateDefaults(partial: Partial<DocTemplate> | null | undefined): DocTemplate {
  return { ...DEFAULT_TEMPLATE, ...(partial ?? {}) };
}
