import { describe, expect, it } from 'vitest';
import { readLocale } from '../plugins/i18n.ts';

/** Every leaf of a locale as path → string (arrays by index). */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      for (const [p, v] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, v);
    }
  } else {
    out.set(path, value);
  }
  return out;
}

const en = leaves(readLocale('en'));
const cy = leaves(readLocale('cy'));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

// Proper names and codes that read the same in both languages, and layouts made only of placeholders.
const SAME_IN_BOTH = new Set([
  'common.serviceName',
  'common.phase',
  'email.unit.subject',
  'email.unit.digest.item',
]);

describe('Welsh text', () => {
  it('has exactly the keys the English text has', () => {
    expect([...cy.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('gives every key a non-empty Welsh string with the same placeholders', () => {
    for (const [key, english] of en) {
      const welsh = cy.get(key);
      expect(typeof welsh, key).toBe('string');
      expect(String(welsh).trim().length, key).toBeGreaterThan(0);
      expect(placeholders(String(welsh)), key).toEqual(placeholders(String(english)));
    }
  });

  it('is translated, not copied from English', () => {
    const copied = [...en]
      .filter(([key, english]) => !SAME_IN_BOTH.has(key) && cy.get(key) === english)
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });
});
