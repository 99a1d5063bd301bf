// 导入台账: the entry points the IPC handlers and the CLI call.
export { previewImport, applyImport, IMPORT_OP, PROJECT_IMPORT_OP } from './ledger';
export { readSpreadsheet, MAX_FILE_BYTES, MAX_ROWS, MAX_UNZIPPED_BYTES } from './read';
export type { ImportPreview, ImportSummary, ImportChoices, ImportRowChange, ImportConflict, FieldChange } from '../../shared/import';
