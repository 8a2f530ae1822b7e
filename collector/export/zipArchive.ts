// A ZIP archive (PKWARE APPNOTE 6.3: deflated entries, UTF-8 names, no ZIP64) of an
// evidence package, so the console can hand a folder to a browser as one download that
// Windows, macOS and Linux open without extra software.
import { crc32, deflateRawSync } from 'node:zlib';

/** MS-DOS date and time fields, which ZIP entries carry. */
function dosDateTime(at: Date): { date: number; time: number } {
  return {
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

const UTF8_NAMES = 0x0800;
const DEFLATE = 8;

export function zipArchive(files: ReadonlyMap<string, Uint8Array>, at: Date): Uint8Array {
  const { date, time } = dosDateTime(at);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = deflateRawSync(content);
    const crc = crc32(content);
    // The local header and the central directory repeat the same fields, two bytes apart.
    const entryFields = (header: Buffer, at: number) => {
      for (const [offset, value] of [[0, 20], [2, UTF8_NAMES], [4, DEFLATE], [6, time], [8, date], [22, nameBytes.length]] as const) header.writeUInt16LE(value, at + offset);
      for (const [offset, value] of [[10, crc], [14, data.length], [18, content.length]] as const) header.writeUInt32LE(value, at + offset);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    entryFields(local, 4);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    entryFields(header, 6);
    header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
