// Parses a policy file's JSON text. When the text is not JSON, says where (line and
// column) and what was expected there, so IT can fix a hand-edited file without a linter:
// V8's own messages give no position for some mistakes, and word them differently by version.

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string };

interface SyntaxFault {
  offset: number;
  expected: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** End offset of the string that opens at `start`, or where it goes wrong. */
function scanString(text: string, start: number): number | SyntaxFault {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return i + 1;
    if (c === '\\') {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return { offset: i, expected: 'an escape such as \\" \\\\ \\n or \\u00e9 after the backslash' };
      i = ESCAPE.lastIndex;
    } else if (c < ' ') {
      return { offset: i, expected: 'the closing " of the string (a string cannot span lines)' };
    } else {
      i += 1;
    }
  }
  return { offset: i, expected: 'the closing " of the string' };
}

/**
 * The first place where `text` is not JSON. Iterative, with its own stack, so a file of a
 * million open brackets is reported, not a stack overflow.
 */
function firstSyntaxFault(text: string): SyntaxFault | null {
  const open: ('{' | '[')[] = [];
  let state: 'value' | 'value-or-close' | 'name' | 'name-or-close' | 'after-value' = 'value';
  let i = 0;
  for (;;) {
    while (WHITESPACE.has(text.charAt(i))) i += 1;
    const c = text.charAt(i);
    const fault = (expected: string): SyntaxFault => ({ offset: i, expected: c === '' ? `${expected}, not the end of the file` : expected });
    const top = open.at(-1);
    if (state === 'after-value') {
      if (top === undefined) return i === text.length ? null : fault('nothing more after the JSON value');
      const close = top === '{' ? '}' : ']';
      if (c === ',') state = top === '{' ? 'name' : 'value';
      else if (c === close) open.pop();
      else return fault(`',' or '${close}'`);
      i += 1;
    } else if ((state === 'value-or-close' && c === ']') || (state === 'name-or-close' && c === '}')) {
      open.pop();
      state = 'after-value';
      i += 1;
    } else if (state === 'name' || state === 'name-or-close') {
      if (c !== '"') return fault(c === '}' ? "another field after the comma (JSON allows no comma before '}')" : 'a field name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      while (WHITESPACE.has(text.charAt(i))) i += 1;
      if (text.charAt(i) !== ':') return { offset: i, expected: "':' after the field name" };
      state = 'value';
      i += 1;
    } else if (c === '{' || c === '[') {
      open.push(c);
      state = c === '{' ? 'name-or-close' : 'value-or-close';
      i += 1;
    } else if (c === '"') {
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      state = 'after-value';
    } else {
      SCALAR.lastIndex = i;
      if (!SCALAR.test(text)) return fault(c === ']' && top === '[' ? "another value after the comma (JSON allows no comma before ']')" : 'a value (text in double quotes, a number, true, false, null, { or [)');
      i = SCALAR.lastIndex;
      state = 'after-value';
    }
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

export function parseJsonText(text: string): JsonParse {
  // Windows editors may save UTF-8 with a byte-order mark; it is not part of the JSON.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const fault = firstSyntaxFault(body);
    if (fault === null) return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    return { ok: false, reason: `${lineAndColumn(body, fault.offset)}: expected ${fault.expected}` };
  }
}
