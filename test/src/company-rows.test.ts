/**
 * Companies are numbered in the order first seen and found again by their
 * HubSpot id, whatever its form: canonical decimal ids are looked up by
 * number, any other id by its text, and no two ids ever share a row.
 */
import { describe, expect, it } from 'vitest';
import { createCompanyRows, exactDecimal } from '../../src/company-rows.ts';

describe('exactDecimal: one number per canonical decimal id, -1 otherwise', () => {
  it.each([
    { id: '0', number: 0 },
    { id: '7', number: 7 },
    { id: '1042', number: 1042 },
    { id: '18234567890', number: 18_234_567_890 },
    { id: '999999999999999', number: 999_999_999_999_999 },
    { id: '9999999999999999', number: -1 },
    { id: '007', number: -1 },
    { id: '', number: -1 },
    { id: '-5', number: -1 },
    { id: '1e3', number: -1 },
    { id: ' 7', number: -1 },
    { id: 'abc', number: -1 },
  ])('$id → $number', ({ id, number }) => {
    expect(exactDecimal(id)).toBe(number);
  });
});

describe('createCompanyRows', () => {
  const ids = ['1000', '007', '7', 'abc', '12345678901234567', '12345678901234568', '0'];

  it('numbers distinct ids in the order first seen and finds each by a fresh copy of its id', () => {
    const rows = createCompanyRows();
    ids.forEach((id, row) => expect(rows.add(id)).toBe(row));
    expect(rows.ids).toEqual(ids);
    ids.forEach((id, row) => expect(rows.rowOf(` ${id}`.slice(1))).toBe(row));
  });

  it('an id seen again keeps its first row', () => {
    const rows = createCompanyRows();
    rows.add('1');
    rows.add('abc');
    expect(rows.add('1')).toBe(0);
    expect(rows.add('abc')).toBe(1);
    expect(rows.ids).toEqual(['1', 'abc']);
  });

  it('thousands of ids, small, huge and colliding, each keeps its own row as the table grows', () => {
    const many = new Set<string>();
    for (let index = 0; many.size < 6_000; index += 1) {
      // Small ids, ids 2^32 apart (same low half) and ids near 1e15.
      many.add(String(index));
      many.add(String(index * 2 ** 32 + 7));
      many.add(String(999_999_999_999_999 - index * 1_000_003));
    }
    const list = [...many];
    const rows = createCompanyRows();
    list.forEach((id, row) => expect(rows.add(id)).toBe(row));
    list.forEach((id, row) => expect(rows.rowOf(id)).toBe(row));
    expect(rows.rowOf(String(2 ** 32 + 8))).toBeUndefined();
    expect(rows.rowOf('999999999999998')).toBeUndefined();
  });

  it.each(['8', '07', '1000.0', '12345678901234569', 'ABC', ''])(
    'an unknown id (%s) has no row',
    (id) => {
      const rows = createCompanyRows();
      ids.forEach((known) => rows.add(known));
      expect(rows.rowOf(id)).toBeUndefined();
    },
  );
});
