import { describe, expect, it } from 'vitest';
import { csvOf } from '../../../src/services/report-csv.js';

describe('csvOf', () => {
  it('quotes commas, quotes and newlines', () => {
    expect(csvOf(['a', 'b', 'c'], [['Lee, Sam', 'say "hi"', 'two\nlines']])).toBe('a,b,c\r\n"Lee, Sam","say ""hi""","two\nlines"\r\n');
  });

  it.each(['=HYPERLINK("x")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx'])('defuses a cell that starts a formula: %j', (cell) => {
    const line = csvOf(['a'], [[cell]]).split('\r\n')[1]!;
    expect(line.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('writes numbers, booleans and empty cells plainly', () => {
    expect(csvOf(['n', 'b', 'e'], [[5, true, null], [0, false, '']])).toBe('n,b,e\r\n5,yes,\r\n0,no,\r\n');
  });
});
