// The 佐证材料's bytes between a copy's store and the shared server (issue 18 item 7 online, server
// version 3). Push and pull carry the index (round_evidence, attachment); these carry the files,
// outside any SQLite transaction: the store is content-addressed, so a file not yet here only means
// "not yet downloaded" and the next sync completes it.
//
// Upload: the hashes the server lacks and this login may give (czt.attachments_to_upload), each sent
// from this copy's store when it has it, its hash checked first (czt.put_attachment checks it again,
// with the size and the caller's right, and never replaces stored content).
// Download: every attachment this copy's entries name and its store lacks, read from the server a
// few at a time, kept only when its hash is the key, its size the recorded one and its bytes pass
// the same checks as a file added here (an executable or a zip bomb is never stored).
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { PgClient } from '../server/connect';
import { attachmentContents, attachmentsToUpload, putAttachment } from '../server/queries';
import { roundSyncQueries } from '../db/round-sync-queries';
import { storePath, writeStoreFile } from '../db/evidence-store';
import { checkEvidenceBytes } from '../import/evidence';
import { ServiceError } from '../core/context';

/** the contents asked for in one request, at most (a file larger than this goes alone) */
const DOWNLOAD_BATCH_BYTES = 64 * 1024 * 1024;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** the server refused this one (an SQLSTATE), as opposed to the connection failing */
const refusedByServer = (e: unknown) => typeof (e as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);

/** Upload the contents the server lacks that this copy's store holds; returns how many were stored. */
export async function uploadEvidence(client: PgClient, dir: string): Promise<number> {
  let n = 0;
  for (const a of await attachmentsToUpload(client)) {
    const file = storePath(dir, a.sha256);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    // a store file changed since it was added is not what the key names: never sent
    if (bytes.length !== a.bytes || sha256(bytes) !== a.sha256) continue;
    try {
      if (await putAttachment(client, a.sha256, bytes)) n++;
    } catch (e) {
      if (!refusedByServer(e)) throw e;
    }
  }
  return n;
}

/** Download the contents this copy's entries name and its store lacks; returns how many were stored. */
export async function downloadEvidence(db: Database, client: PgClient, dir: string): Promise<{ stored: number; refused: number }> {
  const missing = roundSyncQueries(db)
    .evidenceFiles()
    .filter((a) => !fs.existsSync(storePath(dir, a.sha256)));
  const want = new Map(missing.map((a) => [a.sha256, a]));
  let stored = 0;
  let refused = 0;
  for (let i = 0; i < missing.length; ) {
    const batch: string[] = [];
    let size = 0;
    while (i < missing.length && (batch.length === 0 || size + missing[i].bytes <= DOWNLOAD_BATCH_BYTES)) {
      size += missing[i].bytes;
      batch.push(missing[i++].sha256);
    }
    for (const { sha256: key, content } of await attachmentContents(client, batch)) {
      const a = want.get(key);
      if (!a) continue;
      try {
        if (content.length !== a.bytes || sha256(content) !== key) throw new ServiceError('VALIDATION', '内容与登记的哈希或大小不符');
        checkEvidenceBytes(a.type as Parameters<typeof checkEvidenceBytes>[0], content);
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        refused++;
        continue;
      }
      writeStoreFile(dir, key, content);
      stored++;
    }
  }
  return { stored, refused };
}
