import { describe, expect, it } from 'vitest';
import {
  dueAt,
  isSuspectSideTarget,
  median,
  mentionsPersonalData,
  nextStatus,
  victimNews,
} from './disruption.ts';

describe('disruption rules', () => {
  it('moves only along the workflow', () => {
    expect(nextStatus('draft', 'submit')).toBe('awaiting-approval');
    expect(nextStatus('awaiting-approval', 'approve')).toBe('sent');
    expect(nextStatus('awaiting-approval', 'return')).toBe('draft');
    expect(nextStatus('sent', 'action')).toBe('actioned');
    expect(nextStatus('acknowledged', 'decline')).toBe('declined');
    // Nothing skips approval, and nothing finished moves again.
    expect(nextStatus('draft', 'approve')).toBeNull();
    expect(nextStatus('awaiting-approval', 'acknowledge')).toBeNull();
    expect(nextStatus('actioned', 'decline')).toBeNull();
    expect(nextStatus('declined', 'action')).toBeNull();
  });

  it('takes personal types only from the suspect side, technical ones from anywhere but forwarded headers', () => {
    expect(isSuspectSideTarget('phone', ['narrative'])).toBe(false);
    expect(isSuspectSideTarget('phone', ['narrative', 'suspect'])).toBe(true);
    expect(isSuspectSideTarget('uk-bank-account', ['evidence'])).toBe(false);
    expect(isSuspectSideTarget('email', ['sender'])).toBe(true);
    expect(isSuspectSideTarget('url', ['narrative'])).toBe(true);
    expect(isSuspectSideTarget('domain', ['forwarder'])).toBe(false);
  });

  it('finds the victim’s details in free text whatever the spacing, case and punctuation', () => {
    const personal = ['Zebedee Quillfeather', '07911 123456', 'z.q@example.org', 'CA1 1AA'];
    expect(mentionsPersonalData('for ZEBEDEE  quillfeather', personal)).toBe(true);
    expect(mentionsPersonalData('call 07911-123-456', personal)).toBe(true);
    expect(mentionsPersonalData('ref FP-889123, ca11aa', personal)).toBe(true);
    expect(mentionsPersonalData('ref FP-889123', personal)).toBe(false);
    // Too short to tell apart: not compared.
    expect(mentionsPersonalData('a b', ['Al'])).toBe(false);
  });

  it('tells the victim only of what was done, in plain words', () => {
    expect(victimNews('freeze-funds', { frozenPence: 0, recoveredPence: 0 })).toEqual(['disruption.frozen']);
    expect(victimNews('recall-funds', { frozenPence: 0, recoveredPence: 500 })).toEqual([
      'disruption.recovered',
    ]);
    expect(victimNews('recall-funds', { frozenPence: 0, recoveredPence: 0 })).toEqual([]);
    expect(victimNews('takedown', { frozenPence: 0, recoveredPence: 0 })).toEqual(['disruption.takenDown']);
  });

  it('sets the clock by urgency and takes the median', () => {
    const sent = new Date('2026-12-10T09:00:00.000Z');
    expect(dueAt(sent, 'immediate').toISOString()).toBe('2026-12-10T13:00:00.000Z');
    expect(dueAt(sent, 'routine').toISOString()).toBe('2026-12-15T09:00:00.000Z');
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
