/**
 * One shape per layer: services answer in camelCase, whatever the columns are called (docs/architecture.md). The
 * types are checked for every service by `tsc` below; the test checks the answers themselves, so a row passed
 * through behind a cast is caught too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../db/repositories/index.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { Services } from './index.ts';
import { COLLECTIONS } from './taxii.ts';

/** Keys with an underscore anywhere in T (promises, arrays and nested objects followed), as a union. */
type SnakeKeysIn<T, Depth extends unknown[] = []> = Depth['length'] extends 8
  ? never
  : T extends Date | Uint8Array | ((...args: never[]) => unknown)
    ? never
    : T extends PromiseLike<infer U>
      ? SnakeKeysIn<U, Depth>
      : T extends readonly (infer U)[]
        ? SnakeKeysIn<U, [...Depth, 0]>
        : T extends object
          ? {
              [K in keyof T & string]: K extends `${string}_${string}` ? K : SnakeKeysIn<T[K], [...Depth, 0]>;
            }[keyof T & string]
          : never;

/** "method: key" for every snake_case key any method of these services answers with. */
type SnakeAnswers<S> = {
  [K in keyof S & string]: S[K] extends (...args: never[]) => infer R
    ? `${K}: ${SnakeKeysIn<R>}`
    : S[K] extends object
      ? `${K}.${SnakeAnswers<S[K]>}`
      : never;
}[keyof S & string];

/**
 * Every service but taxiiFeedback and partnerSubmissions, whose one answer is the TAXII status resource, named by
 * TAXII (snake_case) and stored as sent; the container's configuration, database and reference data are not answers.
 */
type Answering = Omit<
  Services,
  'config' | 'database' | 'reference' | 'clock' | 'taxiiFeedback' | 'partnerSubmissions'
>;
type NoneOf<Found extends never> = Found;
/** Fails to compile, naming the method and key, when a service answers with a snake_case key. */
export type EveryServiceAnswersCamelCase = NoneOf<SnakeAnswers<Answering>>;

/** Every key, at any depth, of a value as it is at run time. */
function keysOf(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keysOf(item, `${path}[]`));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return [];
  return Object.entries(value).flatMap(([key, item]) => [
    `${path}.${key}`,
    ...keysOf(item, `${path}.${key}`),
  ]);
}
const snakeKeysOf = (value: unknown) => keysOf(value).filter((key) => /_[^.[\]]*$/.test(key));

describe(`services answer in camelCase (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const staff: Record<'officer' | 'supervisor' | 'regional', StaffMember | null> = {
    officer: null,
    supervisor: null,
    regional: null,
  };
  const now = new Date('2026-11-20T09:00:00.000Z');
  const member = (who: keyof typeof staff) => {
    const found = staff[who];
    if (found === null) throw new Error(`no ${who}`);
    return found;
  };

  beforeAll(async () => {
    // Every classification waits for review, so the report has a review page with a decision on it.
    services = await createTestServices({ CLASSIFY_REVIEW_BELOW: '1' }, { clock: () => now });
    for (const [who, place] of [
      ['officer', { role: 'force-officer', forceId: 'cumbria' }],
      ['supervisor', { role: 'force-supervisor', forceId: 'cumbria' }],
      ['regional', { role: 'regional-officer', unitId: 'nwrocu-rccu' }],
    ] as const) {
      const email = `${who}@police.example`;
      await services.staffAccounts.add({ email, password: 'correct horse battery staple', ...place });
      staff[who] = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
    }
  });
  afterAll(() => services.cleanup());

  it('answers every read and change the pages and the API show with camelCase keys only', async () => {
    const officer = member('officer');
    const supervisor = member('supervisor');
    const { id: tokenId } = await services.tokens.create('bank', ['reports:write']);
    const report = await services.reportIntake.submit(
      makeSubmission({
        reporter: {
          name: 'Vic',
          victimName: null,
          email: 'vic@example.org',
          phone: null,
          preferredContact: null,
        },
        narrative: 'someone hacked my instagram and is messaging my followers',
        consents: { victimSupport: true },
      }),
      { partnerTokenId: tokenId },
    );
    await services.protectRequests.submit({
      organisation: 'Acme Ltd',
      contactName: 'Carol Contact',
      email: 'it@acme.example',
      phone: null,
      postcode: 'CA1 1AA',
      forceId: 'cumbria',
      help: ['talk'],
      message: '',
    });
    const eventId = await services.askTheUnit.createEvent(officer, {
      title: 'Ask Cumbria',
      titleCy: 'Gofynnwch i Cumbria',
      description: 'Questions about scams.',
      descriptionCy: 'Cwestiynau am sgamiau.',
      startsAt: '2026-11-20T08:00:00.000Z',
      endsAt: '2026-11-27T18:00:00.000Z',
    });
    await services.askTheUnit.ask(eventId, { name: null, question: 'Is public wifi safe?', lng: 'en' });
    await services.askTheUnit.moderate(officer, eventId, 1, { action: 'answer', answer: 'Use a VPN.' });
    const reportId = (await services.intelligence.reportIdOf(report.reference)) ?? 0;
    await services.classificationReview.decide(supervisor, 'report', reportId, {
      category: 'hacking-social-email',
      online: 'social-media',
      reason: 'Instagram account taken over',
    });
    const caseReference = await services.investigations.createCase(officer, {
      title: 'Operation Tern',
      reports: [report.reference],
      restricted: false,
      members: [],
      campaigns: [],
    });
    const exhibit = await services.investigations.addExhibit(officer, caseReference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2026-11-19T09:00:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    await repositories.sharing.insertObjectVersion(services.database.db, {
      stix_id: 'indicator--00000000-0000-4000-8000-000000000001',
      stix_type: 'indicator',
      version: '2026-11-20T09:00:00.000Z',
      date_added: '2026-11-20T09:00:00.000000Z',
      tlp: 'green',
      sectors: '*',
      latest: 1,
      first: 1,
      body: '{}',
    });
    const collection = COLLECTIONS.find((c) => c.sector === 'finance' && c.tlp === 'green');
    if (collection === undefined) throw new Error('no collection');

    const answers = {
      queue: await services.casework.queue(officer, { page: 1 }),
      protectRequests: await services.protectRequests.forUnit(member('regional')),
      publicEvents: await services.askTheUnit.publicEvents(),
      publicEvent: await services.askTheUnit.publicEvent(eventId),
      staffEvents: await services.askTheUnit.staffEvents(officer),
      moderationQueue: await services.askTheUnit.moderationQueue(officer, eventId),
      referral: await services.referrals.forReport(reportId),
      review: await services.classificationReview.get(supervisor, 'report', reportId, {
        email: '[email address]',
        ipAddress: '[IP address]',
        number: '[number]',
        postcode: '[postcode]',
      }),
      custodyAdded: await services.investigations.addCustody(officer, exhibit.id, {
        event: 'booked-in',
        at: '2026-11-19T10:00:00.000Z',
        location: 'Store',
        note: '',
      }),
      fileAdded: await services.investigations.addFile(officer, exhibit.id, 'r.pdf', Buffer.from('%PDF-1.4')),
      filesAdded: await services.investigations.addFiles(officer, exhibit.id, [
        { name: 's.pdf', content: Buffer.from('%PDF-1.4 s') },
      ]),
      custody: await services.investigations.custody(officer, exhibit.id),
      partnerStatus: await services.progress.forPartner(report.reference, tokenId),
      taxiiPage: await services.taxii.page(collection, { versions: ['last'] }, 0, 10),
      taxiiManifest: await services.taxii.manifest(collection, { versions: ['last'] }, 0, 10),
    };
    // Each answer holds something, so a key in it could be seen.
    for (const [name, answer] of Object.entries(answers)) expect(keysOf(answer), name).not.toEqual([]);
    expect(answers.queue.rows).toHaveLength(1);
    expect(answers.protectRequests).toHaveLength(1);
    expect(answers.moderationQueue?.questions).toHaveLength(1);
    expect(answers.review?.history).toHaveLength(1);
    expect(answers.taxiiManifest.rows).toHaveLength(1);
    expect(snakeKeysOf(answers)).toEqual([]);
  });
});
