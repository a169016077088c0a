// File helpers shared by the trade archive and the samples files: reproducible gzip and
// atomic writes.
import { closeSync, fsyncSync, openSync, renameSync, writeSync, mkdirSync, rmSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * gzip with a fixed header: zlib already writes mtime 0 and no file name; we also set the OS byte
 * to 255 ("unknown") so the bytes do not depend on the platform. Same input + same zlib → same bytes.
 */
export function gzipDeterministic(data: string | Buffer): Buffer {
  const gz = gzipSync(data, { level: 9 });
  gz.writeUInt32LE(0, 4); // MTIME
  gz[9] = 255; // OS
  return gz;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes to a temporary file in the same folder, fsyncs, then renames over `file`. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
