// Evident character errors in the published text of the plan (seeds/plan.txt), corrected where a
// document quotes it. The plan reader and the database keep the text exactly as published; a
// document prints the corrected text with a visible note that names the original, so nobody
// mistakes the correction for the source.

export interface PlanCorrection {
  /** the characters as published */
  wrong: string;
  /** what they evidently mean */
  right: string;
  /** why, in a few words */
  why: string;
}

export const PLAN_CORRECTIONS: readonly PlanCorrection[] = [
  // 强化环境治理联合监管: “区域PM2.5和03” is ozone (O₃) written with a zero; the plan's
  // indicators and the air-quality monitoring it refers to are PM2.5 and O₃
  { wrong: 'PM2.5和03', right: 'PM2.5和O₃', why: '“03”为臭氧“O₃”之误' },
];

/** The text with the corrections applied, and the notes for the ones that were. */
export function correctPlanText(text: string): { text: string; notes: string[] } {
  let out = text;
  const notes: string[] = [];
  for (const c of PLAN_CORRECTIONS) {
    if (!out.includes(c.wrong)) continue;
    out = out.split(c.wrong).join(c.right);
    notes.push(`原文作“${c.wrong}”，${c.why}，已订正`);
  }
  return { text: out, notes };
}

/** The corrected text followed by its note, e.g. ……PM2.5和O₃……〔注：原文作“PM2.5和03”，…〕 */
export function correctedWithNote(text: string): string {
  const { text: t, notes } = correctPlanText(text);
  return notes.length ? `${t}〔注：${notes.join('；')}。〕` : t;
}
