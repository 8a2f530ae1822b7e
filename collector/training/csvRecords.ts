// Reads CSV text into records, as RFC 4180 has it and spreadsheets write it: commas,
// fields in double quotes may hold commas, line breaks and doubled quotes, lines end in
// CRLF or LF, a UTF-8 byte order mark is dropped. Each record keeps the number of the line
// it starts on, so a problem can be pointed at; a quote left open is an error, not a guess.

export interface CsvRecord {
  /** The line the record starts on, from 1. */
  line: number;
  fields: string[];
}

export type CsvReading = { ok: true; records: CsvRecord[] } | { ok: false; line: number; problem: string };

export function readCsvRecords(text: string): CsvReading {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  /** The current field began with a quote (so text after its closing quote is an error). */
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line (one empty field) is no record: spreadsheets leave them at the end.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < input.length; i += 1) {
    const char = input[i] as string;
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== '' || wasQuoted) return { ok: false, line, problem: 'a quote in the middle of a field; put the whole field in quotes and double the quotes inside it' };
      quoted = true;
      wasQuoted = true;
    } else if (char === ',') endField();
    else if (char === '\n' || (char === '\r' && input[i + 1] === '\n')) {
      if (char === '\r') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (wasQuoted) return { ok: false, line, problem: 'text after the closing quote of a field' };
    else field += char;
  }
  if (quoted) return { ok: false, line: recordLine, problem: 'a quoted field is never closed' };
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return { ok: true, records };
}
