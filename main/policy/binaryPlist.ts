// Reads Apple's binary property list format (bplist00), the form macOS writes managed
// preferences in. Only what a preferences file holds is decoded (dictionaries, arrays,
// strings, numbers, booleans, data, dates); anything malformed throws PlistError, never
// a partial value.

export class PlistError extends Error {}

export type PlistValue = string | number | bigint | boolean | Buffer | Date | PlistValue[] | { [key: string]: PlistValue };

const MAGIC = 'bplist00';
/** Seconds between 1970-01-01 and Apple's epoch, 2001-01-01. */
const APPLE_EPOCH_S = 978_307_200;
const MAX_DEPTH = 64;

export function isBinaryPlist(bytes: Buffer): boolean {
  return bytes.length >= MAGIC.length && bytes.toString('latin1', 0, MAGIC.length) === MAGIC;
}

export function parseBinaryPlist(bytes: Buffer): PlistValue {
  if (!isBinaryPlist(bytes) || bytes.length < MAGIC.length + 32) throw new PlistError('not a binary property list');
  const trailer = bytes.length - 32;
  const offsetSize = bytes.readUInt8(trailer + 6);
  const refSize = bytes.readUInt8(trailer + 7);
  const count = Number(bytes.readBigUInt64BE(trailer + 8));
  const top = Number(bytes.readBigUInt64BE(trailer + 16));
  const tableAt = Number(bytes.readBigUInt64BE(trailer + 24));
  if (![1, 2, 4, 8].includes(offsetSize) || ![1, 2, 4, 8].includes(refSize) || top >= count || tableAt + count * offsetSize > trailer) throw new PlistError('the property list trailer is inconsistent');

  const uint = (at: number, size: number): number => {
    if (at + size > trailer) throw new PlistError('the property list points past its end');
    if (size !== 8) return bytes.readUIntBE(at, size);
    const value = bytes.readBigUInt64BE(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new PlistError('a number in the property list is too large');
    return Number(value);
  };
  const offsetOf = (ref: number): number => {
    if (ref >= count) throw new PlistError(`object ${ref} does not exist`);
    return uint(tableAt + ref * offsetSize, offsetSize);
  };

  const read = (ref: number, depth: number): PlistValue => {
    if (depth > MAX_DEPTH) throw new PlistError('the property list nests too deeply');
    const at = offsetOf(ref);
    const marker = bytes.readUInt8(at);
    const kind = marker >> 4;
    const info = marker & 0x0f;
    // A length of 15 means the real length follows as an integer object.
    const length = (): { n: number; start: number } => {
      if (info !== 0x0f) return { n: info, start: at + 1 };
      const intMarker = bytes.readUInt8(at + 1);
      if (intMarker >> 4 !== 0x1) throw new PlistError('a length is not an integer');
      const size = 1 << (intMarker & 0x0f);
      return { n: uint(at + 2, size), start: at + 2 + size };
    };
    switch (kind) {
      case 0x0:
        if (marker === 0x08) return false;
        if (marker === 0x09) return true;
        throw new PlistError(`unsupported value (marker 0x${marker.toString(16)})`);
      case 0x1: {
        const size = 1 << info;
        // 8-byte integers are signed; a number when it fits exactly, else a bigint.
        if (size === 8) {
          const value = bytes.readBigInt64BE(at + 1);
          return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
        }
        if (size > 8) throw new PlistError('integer too large');
        return uint(at + 1, size);
      }
      case 0x2:
        if (info === 2) return bytes.readFloatBE(at + 1);
        if (info === 3) return bytes.readDoubleBE(at + 1);
        throw new PlistError('unsupported real');
      case 0x3:
        return new Date((bytes.readDoubleBE(at + 1) + APPLE_EPOCH_S) * 1000);
      case 0x4: {
        const { n, start } = length();
        if (start + n > trailer) throw new PlistError('data runs past the end');
        return Buffer.from(bytes.subarray(start, start + n));
      }
      case 0x5: {
        const { n, start } = length();
        if (start + n > trailer) throw new PlistError('a string runs past the end');
        return bytes.toString('latin1', start, start + n);
      }
      case 0x6: {
        const { n, start } = length();
        if (start + 2 * n > trailer) throw new PlistError('a string runs past the end');
        return Buffer.from(bytes.subarray(start, start + 2 * n)).swap16().toString('utf16le');
      }
      case 0xa: {
        const { n, start } = length();
        return Array.from({ length: n }, (_, i) => read(uint(start + i * refSize, refSize), depth + 1));
      }
      case 0xd: {
        const { n, start } = length();
        const dict: { [key: string]: PlistValue } = Object.create(null) as { [key: string]: PlistValue };
        for (let i = 0; i < n; i += 1) {
          const key = read(uint(start + i * refSize, refSize), depth + 1);
          if (typeof key !== 'string') throw new PlistError('a dictionary key is not a string');
          dict[key] = read(uint(start + (n + i) * refSize, refSize), depth + 1);
        }
        return dict;
      }
      default:
        throw new PlistError(`unsupported object type 0x${kind.toString(16)}`);
    }
  };
  return read(top, 0);
}
