import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../../common/policy/jsonText';

describe('policy JSON text', () => {
  it('parses JSON, with or without the byte-order mark Windows editors write', () => {
    expect(parseJsonText('{"a": [1, "x", true, null]}')).toEqual({ ok: true, value: { a: [1, 'x', true, null] } });
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  // Each mistake a person makes when editing a policy by hand, with where and what.
  const cases: [string, string, string][] = [
    ['a missing comma between fields', '{\n  "a": 1\n  "b": 2\n}', "line 3, column 3: expected ',' or '}'"],
    ['a trailing comma in an object', '{\n  "a": 1,\n}', "line 3, column 1: expected another field after the comma (JSON allows no comma before '}')"],
    ['a trailing comma in a list', '{"a": [1, 2, ]}', "line 1, column 14: expected another value after the comma (JSON allows no comma before ']')"],
    ['a field name without quotes', '{\n  idleLockMinutes: 5\n}', 'line 2, column 3: expected a field name in double quotes'],
    ['single quotes', "{'a': 1}", 'line 1, column 2: expected a field name in double quotes'],
    ['a missing colon', '{"a" 1}', "line 1, column 6: expected ':' after the field name"],
    ['a misspelt literal', '{"a": tru}', 'line 1, column 7: expected a value (text in double quotes, a number, true, false, null, { or [)'],
    ['a string broken over two lines', '{"a": "one\ntwo"}', 'line 1, column 11: expected the closing " of the string (a string cannot span lines)'],
    ['a Windows path with single backslashes', '{"a": "C:\\Program Files"}', 'line 1, column 10: expected an escape such as \\" \\\\ \\n or \\u00e9 after the backslash'],
    ['a cut-off file', '{"a": [1,', 'line 1, column 10: expected a value (text in double quotes, a number, true, false, null, { or [), not the end of the file'],
    ['an empty file', '', 'line 1, column 1: expected a value (text in double quotes, a number, true, false, null, { or [), not the end of the file'],
    ['text after the value', '{"a": 1}\n}', 'line 2, column 1: expected nothing more after the JSON value'],
  ];
  for (const [name, text, reason] of cases) {
    it(`says where and what for ${name}`, () => {
      expect(parseJsonText(text)).toEqual({ ok: false, reason });
    });
  }

  it('reports a file of a million open brackets instead of overflowing the stack', () => {
    expect(parseJsonText('['.repeat(1_000_000))).toEqual({ ok: false, reason: 'line 1, column 1000001: expected a value (text in double quotes, a number, true, false, null, { or [), not the end of the file' });
  });
});
