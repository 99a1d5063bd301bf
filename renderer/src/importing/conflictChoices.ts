// The person's choice for each conflicting field (保留本库 or 采用台账) with a default for those not
// chosen one by one: shared by the import page (useImportFlow) and 调度轮次's 收取 (a set per
// returned file, rounds/CollectDialog), both shown by ImportConflicts.
import type { Dispatch, SetStateAction } from 'react';
import type { FieldChange, ImportConflict } from '../../../shared/import';

export type Choice = 'keep' | 'take';
/** measure id → field → choice (ImportChoices.perField) */
export type PerField = Record<string, Record<string, Choice>>;

export interface ConflictChoices {
  onConflict: Choice;
  setOnConflict: (c: Choice) => void;
  perField: PerField;
  setPerField: Dispatch<SetStateAction<PerField>>;
  choiceOf: (measureId: string, field: string) => Choice;
  setChoice: (measureId: string, field: string, c: Choice) => void;
  setRow: (measureId: string, fields: FieldChange[], c: Choice) => void;
  /** conflicting fields that will take the ledger's value */
  takeCount: number;
  conflictFields: number;
  /** every conflict's choice spelled out (the default applied), as the apply sends it */
  explicit: () => PerField;
}

export function conflictChoices(
  conflicts: readonly ImportConflict[] | undefined,
  onConflict: Choice,
  setOnConflict: (c: Choice) => void,
  perField: PerField,
  setPerField: Dispatch<SetStateAction<PerField>>,
): ConflictChoices {
  const list = conflicts ?? [];
  const choiceOf = (measureId: string, field: string): Choice => perField[measureId]?.[field] ?? onConflict;
  return {
    onConflict,
    setOnConflict,
    perField,
    setPerField,
    choiceOf,
    setChoice: (measureId, field, c) => setPerField((p) => ({ ...p, [measureId]: { ...(p[measureId] ?? {}), [field]: c } })),
    setRow: (measureId, fields, c) => setPerField((p) => ({ ...p, [measureId]: Object.fromEntries(fields.map((f) => [f.field, c])) })),
    takeCount: list.reduce((n, c) => n + c.fields.filter((f) => choiceOf(c.rowId, f.field) === 'take').length, 0),
    conflictFields: list.reduce((n, c) => n + c.fields.length, 0),
    explicit: () => Object.fromEntries(list.map((c) => [c.rowId, Object.fromEntries(c.fields.map((f) => [f.field, choiceOf(c.rowId, f.field)]))])),
  };
}
