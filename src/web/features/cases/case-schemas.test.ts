import { describe, expect, it } from 'vitest';
import { readClose, readExhibit, readShare, readTask } from './case-forms.ts';
import { Close, NewExhibit, NewTask, Share, schemaProblems } from './case-schemas.ts';

// The forms hold no limits of their own: each is read from the API's schema, so changing it changes both.
const maxOf = (schema: { properties: Record<string, unknown> }, prop: string) =>
  (schema.properties[prop] as { maxLength: number }).maxLength;
const NOW = new Date('2026-12-01T12:00:00Z');
const SEIZED = {
  'seized-day': '20',
  'seized-month': '11',
  'seized-year': '2026',
  'seized-hour': '09',
  'seized-minute': '15',
};

describe('case forms check what was typed against the case API’s schemas', () => {
  it('refuses one character past the API’s limit, and takes the limit itself', () => {
    const limit = maxOf(NewExhibit, 'description');
    const exhibit = (description: string) =>
      readExhibit({ initials: 'AB', kind: 'other', description, seizedWhere: 'Carlisle', ...SEIZED }, NOW);
    expect(exhibit('x'.repeat(limit)).ok).toBe(true);
    expect(exhibit('x'.repeat(limit + 1))).toMatchObject({
      ok: false,
      problems: [{ field: 'description', key: 'descriptionLong' }],
    });
    const title = maxOf(NewTask, 'title');
    const task = (t: string) =>
      readTask({
        title: t,
        owner: 'a@police.example',
        'due-day': '1',
        'due-month': '12',
        'due-year': '2026',
      });
    expect(task('x'.repeat(title)).ok).toBe(true);
    expect(task('x'.repeat(title + 1))).toMatchObject({
      ok: false,
      problems: [{ field: 'task-title', key: 'taskTitleLong' }],
    });
  });

  it('uses the API’s formats and choices: email addresses, initials, outcomes', () => {
    const task = readTask({
      title: 'Enquiry',
      owner: 'not an address',
      'due-day': '1',
      'due-month': '12',
      'due-year': '2026',
    });
    expect(task).toMatchObject({ ok: false, problems: [{ field: 'owner', key: 'ownerFormat' }] });
    expect(
      schemaProblems(NewTask, { title: 'Enquiry', owner: 'not an address', due_on: '2026-12-01' }),
    ).toEqual(new Map([['owner', 'format']]));
    const close = readClose({ outcome: 'made-up', reason: 'Done' });
    expect(close).toMatchObject({ ok: false, problems: [{ field: 'outcome', key: 'outcome' }] });
    expect(schemaProblems(Close, { outcome: 'made-up', reason: 'Done' }).get('outcome')).toBe('format');
    const exhibit = readExhibit(
      { initials: 'A1', kind: 'other', description: 'USB', seizedWhere: 'Carlisle', ...SEIZED },
      NOW,
    );
    expect(exhibit).toMatchObject({ ok: false, problems: [{ field: 'initials', key: 'initials' }] });
  });

  it('names the wrong address among a transfer’s team, as the API refuses the list', () => {
    const share = readShare(
      {
        unit: 'kent-cyber',
        kind: 'transfer',
        officer: 'lead@kent.example',
        members: 'ok@kent.example\nnope',
        reason: 'r',
      },
      ['kent-cyber'],
    );
    expect(share).toMatchObject({
      ok: false,
      problems: [{ field: 'transfer-members', key: 'transferMembersFormat', params: { email: 'nope' } }],
    });
    expect(
      schemaProblems(Share, { unit: 'kent-cyber', reason: 'r', members: ['ok@kent.example', 'nope'] }),
    ).toEqual(new Map([['members', 'format']]));
  });
});
