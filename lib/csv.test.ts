// CSV quoting and the formula-injection guard shared by the audit and operations exports.
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv';

describe('csvCell', () => {
  it('quotes separators, quotes, line breaks and edge spaces', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes null and undefined as empty, objects as JSON, other values as text', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ b: 1 })).toBe('"{""b"":1}"');
    expect(csvCell(12n)).toBe('12');
    expect(csvCell(true)).toBe('true');
  });

  it('prefixes text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-cmd|calc')).toBe("'-cmd|calc");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
  });

  it('exempts only plain decimals: optional minus, digits, optional fraction', () => {
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('-10.5066')).toBe('-10.5066');
    expect(csvCell('-1')).toBe('-1');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('42')).toBe('42');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('-5e3')).toBe("'-5e3");
    expect(csvCell('-.5')).toBe("'-.5");
    expect(csvCell('-1.')).toBe("'-1.");
    expect(csvCell('-1\n')).toBe('"\'-1\n"');
    expect(csvCell('+5')).toBe("'+5");
  });
});

describe('csvLine', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvLine(['a', 1, null, '-2.5', '=1'])).toBe("a,1,,-2.5,'=1\r\n");
  });
});
