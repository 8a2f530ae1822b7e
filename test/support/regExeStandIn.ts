// TEST DOUBLE for Windows' reg.exe, which cannot run here. It prints what `reg query KEY
// /v NAME` prints on Windows 10/11 (a blank line, the key with its hive spelled out, one
// line per value indented by four spaces with four-space separators, REG_MULTI_SZ
// strings joined by a literal \0, as `reg add /t REG_MULTI_SZ /d a\0b` takes them), and
// imports a .reg file (regedit's "Windows Registry Editor Version 5.00" format) the way
// regedit would, so a test can load a generated .reg back through Cordon's own reader.
// Reconstructed from reg.exe's documented formats, not recorded on a Windows machine.

const HIVES: Record<string, string> = { HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER' };

export const REG_NOT_FOUND = { status: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };

export function regQueryOutput(key: string, name: string, type: string, strings: readonly string[]): string {
  const [hive = '', ...rest] = key.split('\\');
  const data = type === 'REG_MULTI_SZ' ? strings.join('\\0') : (strings[0] ?? '');
  return `\r\n${[HIVES[hive] ?? hive, ...rest].join('\\')}\r\n    ${name}    ${type}    ${data}\r\n\r\n`;
}

/** The values a .reg file sets: "KEY\\NAME" → { type, strings }. Only REG_SZ and hex(7) (REG_MULTI_SZ) are modelled. */
export function importRegFile(text: string): Map<string, { type: string; strings: string[] }> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== 'Windows Registry Editor Version 5.00') throw new Error('not a version 5 .reg file');
  const values = new Map<string, { type: string; strings: string[] }>();
  let key = '';
  // Continued lines end with a backslash.
  const logical: string[] = [];
  for (const line of lines.slice(1)) {
    const last = logical.length - 1;
    if (last >= 0 && (logical[last] as string).endsWith('\\')) logical[last] = (logical[last] as string).slice(0, -1) + line.trimStart();
    else logical.push(line);
  }
  for (const line of logical) {
    const section = /^\[(.+)\]$/.exec(line);
    if (section !== null) {
      key = section[1] as string;
      continue;
    }
    const multi = /^"(.+)"=hex\(7\):([0-9a-f,]*)$/.exec(line);
    if (multi !== null) {
      const bytes = Buffer.from((multi[2] as string).split(',').filter((b) => b !== '').map((b) => Number.parseInt(b, 16)));
      const strings = bytes.toString('utf16le').split('\0');
      // The list ends with an empty string (two NULs).
      while (strings.length > 0 && strings[strings.length - 1] === '') strings.pop();
      values.set(`${key}\\${multi[1] as string}`, { type: 'REG_MULTI_SZ', strings });
      continue;
    }
    const plain = /^"(.+)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    if (plain !== null) values.set(`${key}\\${plain[1] as string}`, { type: 'REG_SZ', strings: [(plain[2] as string).replace(/\\(.)/g, '$1')] });
  }
  return values;
}
