import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain, type StoredEntry } from './custody-chain.ts';

function chain(n: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      caseReference: 'CASE-2026-0001',
      seq,
      exhibitRef: 'JS/1',
      event: seq === 1 ? 'seized' : 'moved',
      actor: 'js@cumbria.police.uk',
      at: `2026-11-0${seq}T10:00:00.000Z`,
      location: `Store ${seq}`,
      note: '',
      fileSha256: null,
      fileName: null,
    };
    const hash = entryHash(content, prev);
    entries.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return entries;
}
const headOf = (entries: StoredEntry[]) => ({ hash: entries.at(-1)?.hash ?? null, count: entries.length });

describe('custody hash chain', () => {
  it('accepts an intact chain', () => {
    const entries = chain(4);
    expect(verifyChain(entries, headOf(entries))).toEqual({ ok: true, entries: 4 });
    expect(verifyChain([], { hash: null, count: 0 })).toEqual({ ok: true, entries: 0 });
  });

  it('catches a changed field, a deleted entry, a reordering and a removed last entry', () => {
    const entries = chain(4);
    const head = headOf(entries);
    const changed = entries.map((e) => (e.seq === 2 ? { ...e, location: 'Somewhere else' } : e));
    expect(verifyChain(changed, head)).toMatchObject({ ok: false, entry: 2 });
    expect(
      verifyChain(
        entries.filter((e) => e.seq !== 3),
        head,
      ),
    ).toMatchObject({ ok: false, entry: 4 });
    const swapped = [entries[0], entries[2], entries[1], entries[3]].filter((e) => e !== undefined);
    expect(verifyChain(swapped, head)).toMatchObject({ ok: false, entry: 3 });
    expect(verifyChain(entries.slice(0, 3), head)).toMatchObject({ ok: false, entry: 4 });
    // Renumbering after a deletion is caught by the hashes, which cover the sequence number.
    const renumbered = entries.filter((e) => e.seq !== 2).map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(renumbered, head).ok).toBe(false);
  });
});
