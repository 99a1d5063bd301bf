// import.*: reading a returned ledger, previewing what it would change, applying it.
import { z } from 'zod';
import { importChoicesSchema, type ImportPreview, type ImportSummary } from '../../import';
import { channel } from '../channel';
import { deptId, empty } from './common';

export const importChannels = {
  /** the 导入 page is open: start a reader thread now, so a chosen file does not wait for one (false: this build reads on the main side) */
  'import.prepare': channel<{ prepared: boolean }>()(empty),
  /**
   * read a returned ledger (bytes as base64) and show what it would change; nothing is written.
   * The preview crosses as JSON text, its long arrays in pieces (10,000 changes).
   */
  'import.preview': channel<ImportPreview & { previewId: string }>()(
    z
      .object({
        fileName: z.string().min(1).max(255),
        // 50 MB of file is about 67 MB of base64
        base64: z.string().max(70 * 1024 * 1024, '文件过大，台账文件不能超过 50 MB'),
        /** for this file only: the department meant by a name the directory does not know (ImportCellError.deptName → id) */
        deptMap: z
          .record(z.string().min(1).max(200), deptId)
          .refine((m) => Object.keys(m).length <= 500, '为单位名称指定的单位过多（最多 500 个）')
          .optional(),
      })
      .strict(),
    { jsonText: true },
  ),
  /** apply a preview with the person's conflict choices: all in one transaction or nothing */
  'import.apply': channel<ImportSummary>()(z.object({ previewId: z.string().uuid(), choices: importChoicesSchema }).strict()),
};
