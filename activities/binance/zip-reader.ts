// Reads the files of a zip archive held in memory (the central directory, then each entry's
// local header and data; stored or deflated, CRC-32 checked). Enough for Binance's kline archives
// (one CSV per zip); no ZIP64, encryption or multi-disk archives: those are refused by name.
import { crc32, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(zip: Buffer, what: string): number {
  const last = zip.length - 22;
  for (let i = last; i >= Math.max(0, last - 0xffff); i--) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new ZipError(`${what}: not a zip archive (no end of central directory in ${zip.length} bytes)`);
}

/** 1 GiB: a month of 1s klines is about 300 MB of CSV. */
const MAX_ENTRY_BYTES = 2 ** 30;

export function readZip(zip: Buffer, what = 'zip'): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(zip, what);
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError(`${what}: ZIP64 archives are not supported`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new ZipError(`${what}: central directory entry ${k} is damaged (offset ${p})`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new ZipError(`${what}: ${name} is encrypted`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new ZipError(`${what}: local header of ${name} is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) throw new ZipError(`${what}: ${name} is truncated (${compressed} bytes announced, ${zip.length - start} present)`);
    const raw = zip.subarray(start, start + compressed);
    if (size > MAX_ENTRY_BYTES) throw new ZipError(`${what}: ${name} says it holds ${size} bytes, over the ${MAX_ENTRY_BYTES} bytes an entry may have`);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        // One output chunk of the announced size: zlib's default 16 KiB chunks cost a concat copy.
        // Inflating stops one byte past that size, so a header that lies cannot make it balloon.
        data = inflateRawSync(raw, { chunkSize: Math.max(size + 64, 16_384), maxOutputLength: size + 1 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ZipError(`${what}: ${name} inflates to more than the ${size} bytes its header says`);
        }
        throw new ZipError(`${what}: ${name} does not inflate (${(e as Error).message})`);
      }
    } else throw new ZipError(`${what}: ${name} uses compression method ${method} (only stored and deflate are supported)`);
    if (data.length !== size) throw new ZipError(`${what}: ${name} is ${data.length} bytes, its header says ${size}`);
    if (crc32(data) >>> 0 !== crc) throw new ZipError(`${what}: ${name} fails its CRC-32`);
    entries.push({ name, data });
  }
  return entries;
}
