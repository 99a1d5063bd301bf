// Where 佐证材料 live (issue 18): a content-addressed store beside the database,
// evidence/<first 2 hex>/<sha256>, shared by the databases of one folder and by the backups of a
// folder (backups/evidence). A stored file is never changed or removed, so a backup or a restore
// copies the files the other side lacks. Only node:fs here: db/backup.ts loads it.
import fs from 'node:fs';
import path from 'node:path';

/** The store of the database (or backup) in this file. */
export function evidenceDir(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), 'evidence');
}

export const storePath = (dir: string, sha: string): string => path.join(dir, sha.slice(0, 2), sha);

/** Store bytes under their hash (already checked by the caller); a file already stored is not written again. */
export function writeStoreFile(dir: string, sha: string, bytes: Buffer): void {
  const dest = storePath(dir, sha);
  if (fs.existsSync(dest)) return;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.part`;
  fs.writeFileSync(tmp, bytes, { flag: 'w' });
  fs.renameSync(tmp, dest);
}

/** Copy the stored files `toDir` lacks from `fromDir`; returns how many. */
export function syncEvidence(fromDir: string, toDir: string): number {
  if (path.resolve(fromDir) === path.resolve(toDir) || !fs.existsSync(fromDir)) return 0;
  let n = 0;
  for (const sub of fs.readdirSync(fromDir)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const f of fs.readdirSync(path.join(fromDir, sub))) {
      if (!/^[0-9a-f]{64}$/.test(f)) continue;
      const dest = path.join(toDir, sub, f);
      if (fs.existsSync(dest)) continue;
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(path.join(fromDir, sub, f), `${dest}.part`);
      fs.renameSync(`${dest}.part`, dest);
      n++;
    }
  }
  return n;
}
