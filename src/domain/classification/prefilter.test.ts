import { describe, expect, it } from 'vitest';
import { loadSet, SETS } from '../../../test/classification/fixtures.ts';
import { CATEGORY_CUES } from './category-cues.ts';
import { normaliseWords } from './normalise-text.ts';
import { ONLINE_CUES, ONLINE_MASKS } from './online-cues.ts';
import { createPrefilter, type Gated } from './prefilter.ts';

// The prefilter is a speed device: it may let a pattern run that cannot match, never skip one that can. These tests
// hold it to that on every development text (and on words made to meet its edge cases), strictly gated as the
// classifier gates its cues.
const builder = createPrefilter();
const gated: Gated[] = [
  ...Object.values(CATEGORY_CUES).flatMap((specs) =>
    specs.map((s) => builder.gate(s.pattern, { strict: true })),
  ),
  ...ONLINE_MASKS.map((re) => builder.gate(re, { strict: true })),
  ...ONLINE_CUES.map((c) => builder.gate(c.pattern, { strict: true })),
];
const prefilter = builder.build();

const texts = [
  ...SETS.filter((s) => !s.heldOut).flatMap((s) =>
    loadSet(s.name).map((r) => r.text ?? `${r.offence ?? ''}. ${r.summary ?? ''}`),
  ),
  // Numbers, two-letter words, one-letter words and words that are whole needles: the prefilter's edge cases.
  'ref 123456 paid 2fa code 365 mailbox i x a on 4 k ok my o2 account ip 84 ee bt dm',
  'we got a 2fa text then our office 365 got into by someone, they set a forwarding rule',
];

describe('the classifier prefilter', () => {
  it('never skips a pattern part that matches the words it scanned', () => {
    const scan = prefilter.scan([]);
    let checked = 0;
    for (const text of texts) {
      const words = normaliseWords(text);
      const normalised = ` ${words.join(' ')} `;
      prefilter.scan(words, undefined, scan);
      for (const g of gated)
        for (const part of g.parts) {
          if (!part.re.test(normalised)) continue;
          checked++;
          expect(scan.ready(part.id), `${part.re.source.slice(0, 80)} on "${normalised}"`).toBe(true);
        }
    }
    // Enough matches to mean something (thousands of texts, most matching several cues).
    expect(checked).toBeGreaterThan(10_000);
  });

  it('lists the ready parts below a bound in id order, the same as asking each part', () => {
    const scan = prefilter.scan([]);
    const bound = Math.floor(prefilter.size / 2);
    for (const text of texts.slice(0, 500)) {
      prefilter.scan(normaliseWords(text), undefined, scan);
      // A word allowed afterwards (as the classifier does after a rewrite) joins the list too.
      scan.allow('paid');
      const expected: number[] = [];
      for (let id = 0; id < bound; id++) if (scan.ready(id)) expected.push(id);
      expect([...scan.readyBelow(bound)]).toEqual(expected);
    }
  });
});
