import { describe, expect, it } from 'vitest';
import { qualityList } from './quality-list';

describe('qualityList', () => {
  it('reads names and q-values the way RFC 9110 writes them', () => {
    expect(qualityList('ru-RU, ru;q=0.9, EN;Q=0.5, *;q=0')).toEqual([
      { name: 'ru-ru', q: 1 },
      { name: 'ru', q: 0.9 },
      { name: 'en', q: 0.5 },
      { name: '*', q: 0 },
    ]);
    expect(qualityList(' gzip ; level=1 ;q=0.25 ,br')).toEqual([
      { name: 'gzip', q: 0.25 },
      { name: 'br', q: 1 },
    ]);
  });

  it('gives an unreadable q as 0 and nothing for an empty header', () => {
    expect(qualityList('gzip;q=high, br;q=')).toEqual([
      { name: 'gzip', q: 0 },
      { name: 'br', q: 0 },
    ]);
    expect(qualityList('')).toEqual([]);
    expect(qualityList(null)).toEqual([]);
    expect(qualityList(undefined)).toEqual([]);
  });
});
