// The training CSV, read and checked before anything is stored: RFC 4180 as spreadsheets
// write it, then every problem of a malformed file with its row and column, and a good
// file's rows exactly.
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../../collector/training/csvRecords';
import { MAX_TRAINING_CSV_ROWS, parseTrainingCsv, type TrainingCsvOptions } from '../../../collector/training/trainingCsv';
import { importProblemLine } from '../../../common/console/consoleApi';

const OPTIONS: TrainingCsvOptions = { courses: new Map([['hipaa-privacy', 'HIPAA privacy and security'], ['phishing', 'Spotting phishing']]), today: '2027-03-01' };
const lines = (text: string, options = OPTIONS) => {
  const result = parseTrainingCsv(text, options);
  return result.ok ? [] : result.problems.map(importProblemLine);
};

describe('reading CSV records', () => {
  it('reads quoted commas, quotes and line breaks, CRLF or LF, and drops a byte order mark and blank lines', () => {
    const reading = readCsvRecords('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3\n');
    expect(reading).toEqual({ ok: true, records: [{ line: 1, fields: ['a', 'b', 'c'] }, { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] }, { line: 5, fields: ['1', '', '3'] }] });
    expect(readCsvRecords('a,b')).toEqual({ ok: true, records: [{ line: 1, fields: ['a', 'b'] }] });
    expect(readCsvRecords('a,""')).toEqual({ ok: true, records: [{ line: 1, fields: ['a', ''] }] });
  });

  it('refuses a quote left open, text after a closing quote, and a quote inside an unquoted field, by line', () => {
    expect(readCsvRecords('a,b\n"open,c\nd')).toEqual({ ok: false, line: 2, problem: 'a quoted field is never closed' });
    expect(readCsvRecords('a,b\n"x"y,c')).toEqual({ ok: false, line: 2, problem: 'text after the closing quote of a field' });
    expect(readCsvRecords('a,b\nx"y,c')).toMatchObject({ ok: false, line: 2 });
  });
});

describe('checking a training CSV', () => {
  it('reads a good file: columns in any order and case, optional ones absent or blank, revocations', () => {
    const text = 'Course,SUBJECT,completed_on,expires_on,action\nhipaa-privacy,demo-va-0001,2026-03-10,,\nphishing, demo-va-0002 ,2027-01-15,2028-01-15,add\nphishing,demo-va-0003,2026-12-01,,Revoke\n';
    expect(parseTrainingCsv(text, OPTIONS)).toEqual({
      ok: true,
      rows: [
        { row: 2, subject: 'demo-va-0001', course: 'hipaa-privacy', completedOn: '2026-03-10', expiresOn: null, action: 'add' },
        { row: 3, subject: 'demo-va-0002', course: 'phishing', completedOn: '2027-01-15', expiresOn: '2028-01-15', action: 'add' },
        { row: 4, subject: 'demo-va-0003', course: 'phishing', completedOn: '2026-12-01', expiresOn: null, action: 'revoke' },
      ],
    });
    expect(parseTrainingCsv('subject,course,completed_on\nva,phishing,2027-03-02\n', OPTIONS).ok).toBe(true);
    // The same row twice counts once.
    expect(parseTrainingCsv('subject,course,completed_on\nva,phishing,2027-01-02\nva,phishing,2027-01-02\n', OPTIONS)).toMatchObject({ ok: true, rows: [{ row: 2 }] });
  });

  it('names every problem of a malformed file by row and column, and imports none of it', () => {
    const text = [
      'subject,course,completed_on,expires_on,action',
      ',hipaa-privacy,2026-03-10,,',
      'va-2,HIPAA,2026-03-10,,',
      'va-3,hipaa,2026-03-10,,',
      'va-4,phishing,2027-13-01,,',
      'va-5,phishing,2027-02-30,,',
      'va-6,phishing,10/03/2026,,',
      'va-7,phishing,2027-03-05,,',
      'va-8,phishing,2027-01-15,2027-01-15,',
      'va-9,phishing,2027-01-15,,delete',
      'va-10,phishing,2027-01-15',
      'va-11,phishing,2027-01-15,,',
      'va-11,phishing,2027-01-15,2028-01-15,',
      `${'x'.repeat(256)},phishing,2027-01-15,,`,
      '"va\n12",phishing,2027-01-15,,',
    ].join('\n');
    expect(lines(text)).toEqual([
      "row 2, subject: is empty: give the VA's IdP subject, as the console's sessions show it",
      'row 3, course: "HIPAA" is not a course id (lowercase letters, digits and hyphens, e.g. hipaa-privacy)',
      'row 4, course: "hipaa" is not a course the policy requires (its courses: hipaa-privacy, phishing)',
      'row 5, completed_on: "2027-13-01" is not a date in the calendar',
      'row 6, completed_on: "2027-02-30" is not a date in the calendar',
      'row 7, completed_on: "10/03/2026" must be a date as YYYY-MM-DD, e.g. 2027-03-31',
      'row 8, completed_on: 2027-03-05 is in the future',
      'row 9, expires_on: 2027-01-15 is not after the completion on 2027-01-15',
      'row 10, action: "delete" is neither add nor revoke (empty means add)',
      'row 11: it has 3 fields, but the header has 5',
      'row 13: the same completion as row 12 (va-11, phishing, 2027-01-15) with a different expires_on or action',
      'row 14, subject: is longer than 255 characters',
      'row 15, subject: holds a line break or another control character',
    ]);
    expect(parseTrainingCsv(text, OPTIONS)).toMatchObject({ ok: false, rows: 14 });
  });

  it('refuses a header without the required columns, with unknown or repeated ones', () => {
    expect(lines('subject,course,date\nva,phishing,2027-01-15\n')).toEqual([
      'row 1: column 3 is named "date", which is not a column of a training file (the columns are subject, course, completed_on, and optionally expires_on and action)',
      'row 1, completed_on: the column completed_on is missing (the columns are subject, course, completed_on, and optionally expires_on and action)',
    ]);
    expect(lines('subject,course,completed_on,course\n')).toEqual(['row 1, course: the column course appears twice']);
  });

  it('refuses an empty file, a header alone, one too many rows, an unclosed quote, and text that is not UTF-8', () => {
    expect(lines('')).toEqual(['the file is empty; its first row names the columns: subject, course, completed_on, and optionally expires_on and action']);
    expect(lines('subject,course,completed_on\r\n')).toEqual(['the file has no rows after its header: nothing to import']);
    const many = `subject,course,completed_on\n${'va,phishing,2027-01-15\n'.repeat(MAX_TRAINING_CSV_ROWS + 1)}`;
    expect(lines(many)).toEqual([`the file has ${MAX_TRAINING_CSV_ROWS + 1} rows; at most ${MAX_TRAINING_CSV_ROWS} go in one import, so split it`]);
    expect(lines('subject,course,completed_on\n"va,phishing,2027-01-15\n')).toEqual(['line 2: a quoted field is never closed']);
    // "Désirée" saved as Windows-1252, read as UTF-8.
    expect(lines(`subject,course,completed_on\n${Buffer.from([0x44, 0xe9, 0x73]).toString('utf8')},phishing,2027-01-15\n`)).toEqual(['the file is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8"']);
  });

  it('without the policy, checks a course id for its form only', () => {
    expect(parseTrainingCsv('subject,course,completed_on\nva,fire-safety,2027-01-15\n', { ...OPTIONS, courses: null }).ok).toBe(true);
    expect(lines('subject,course,completed_on\nva,fire-safety,2027-01-15\n')).toEqual(['row 2, course: "fire-safety" is not a course the policy requires (its courses: hipaa-privacy, phishing)']);
  });
});
