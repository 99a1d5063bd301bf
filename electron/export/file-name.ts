// A file name every file system and both desktop systems take: the exports name their files from
// data (a draft's title of up to 100 characters, a department's name, a scope), and a name over
// 255 bytes (ext4: 85 Chinese characters) or a path over Windows' 260 characters cannot be
// written at all. One place for every export (produce.ts) and every write without a dialog
// (ipc/transfers.ts writeUnique).

/** UTF-8 bytes of a name (Linux and macOS count bytes: 255 at most) */
const MAX_NAME_BYTES = 180;
/**
 * UTF-16 units of a name: Windows counts the whole path (260 without long-path support), and the
 * documents folder or the export folder beside the database takes up to about 100 of them
 */
const MAX_NAME_CHARS = 80;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** names Windows keeps for devices, whatever the extension */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * `name` made safe as one file name: no path separators, control characters or characters Windows
 * refuses, no trailing dot or blank, not a device name, and short enough to leave room for a
 * "(12)" suffix under every limit. A long stem is shortened in the middle of its descriptive part:
 * its trailing date stamp (-20261204) and the extension are kept.
 */
export function fitFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  const rawExt = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : '';
  const ext = rawExt.replace(/[^.A-Za-z0-9]/g, '');
  let stem = (rawExt ? name.slice(0, dot) : name)
    // separators, characters Windows refuses, control characters, blanks
    .replace(/[\\/:*?"<>|\s\u0000-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g, '')
    .replace(/[.\s]+$/, '');
  if (!stem || RESERVED.test(stem)) stem = `导出文件${stem ? `-${stem}` : ''}`;
  const tail = stem.match(/-\d{8}$/)?.[0] ?? '';
  let head = stem.slice(0, stem.length - tail.length);
  const fits = (h: string) => utf8(h + tail + ext) <= MAX_NAME_BYTES && (h + tail + ext).length <= MAX_NAME_CHARS;
  if (!fits(head)) {
    // by code points, so a character outside the BMP is never cut in two
    const chars = [...head];
    while (chars.length && !fits(chars.join('') + '…')) chars.pop();
    head = chars.join('') + '…';
  }
  return head + tail + ext;
}
