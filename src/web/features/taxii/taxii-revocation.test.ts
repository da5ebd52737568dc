import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stixValidators } from '../../../../test/support/stix-schemas.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { runPublication, submitAssessed } from '../../../../test/support/taxii-publication.ts';
import { retryDelayMs } from '../../../domain/outbox/retry.ts';
import { checkStixPattern } from '../../../domain/sharing/stix-pattern.ts';
import { indicatorStixId } from '../../../services/intelligence.ts';
import { COLLECTIONS } from '../../../services/taxii.ts';
import { TAXII_MEDIA_TYPE } from './taxii-routes.ts';

const ROOT = '/taxii2/bluelight';
const EVERY_SECTOR = ['all-sectors', 'finance', 'telecoms', 'hosting', 'retail', 'public-sector'];
const PHONE = '+447700900777';
const EMAIL = 'dave.jones1978@outlook.com';
// Any trace of the values, however written.
const TRACES = ['7700900777', '7700 900777', 'dave.jones1978', 'outlook.com'];

type Envelope = { more?: boolean; next?: string; objects?: Record<string, unknown>[] };

// Pages every collection as several partners and drains webhooks: long on a busy machine.
describe(
  'a withdrawn indicator never gives its value again (held back, retracted)',
  { timeout: 120_000 },
  () => {
    let now = new Date('2026-12-03T09:00:00.000Z');
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    let server: Server;
    const pushes: string[] = [];
    let answers: number[] = [];

    beforeAll(async () => {
      // Webhooks are pushed to a receiver on this machine: only tests may allow that.
      ctx = await createTestApp({ WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true' }, { clock: () => now });
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          pushes.push(body);
          res.statusCode = answers.shift() ?? 200;
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await ctx.close();
    });

    /** Runs the outbox as production does (publication, then webhook pushes) until nothing is due. */
    const drain = () => runPublication(ctx.services, { clock: () => now, webhooks: true });

    async function get(token: string, url: string): Promise<{ status: number; body: string }> {
      const res = await ctx.app.inject({
        url,
        headers: { authorization: `Bearer ${token}`, accept: TAXII_MEDIA_TYPE },
      });
      return { status: res.statusCode, body: res.body };
    }

    /** Every answer a partner can get about these objects: all versions of every collection, paged, and per object. */
    async function everything(token: string, ids: string[]): Promise<string[]> {
      const bodies: string[] = [];
      for (const collection of COLLECTIONS.filter((c) => c.tlp !== null)) {
        const base = `${ROOT}/collections/${collection.id}`;
        for (const listing of ['objects', 'manifest']) {
          let next: string | undefined;
          for (let page = 0; page < 100; page++) {
            const cursor = next === undefined ? '' : `&next=${next}`;
            const res = await get(token, `${base}/${listing}/?match[version]=all&limit=2${cursor}`);
            bodies.push(res.body);
            const envelope = JSON.parse(res.body) as Envelope;
            if (envelope.more !== true) break;
            next = envelope.next;
          }
        }
        for (const id of ids) {
          for (const version of ['all', 'first', 'last']) {
            bodies.push((await get(token, `${base}/objects/${id}/?match[version]=${version}`)).body);
          }
          bodies.push((await get(token, `${base}/objects/${id}/versions/`)).body);
        }
      }
      return bodies;
    }

    it('pages every collection, object, version list and manifest, and every webhook push, without the value', async () => {
      const early = await ctx.services.partners.add({ name: 'Early', sectors: EVERY_SECTOR, tlp: 'amber' });
      await ctx.services.partners.setWebhook(
        early.id,
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      );
      const report = await submitAssessed(
        ctx.services,
        makeSubmission({
          category: 'online-shopping-fraud',
          reporter: {
            name: 'V',
            victimName: null,
            email: 'v@example.org',
            phone: null,
            preferredContact: 'email',
          },
          suspect: suspect({ phones: ['07700 900777'], emails: [EMAIL] }),
        }),
      );
      const ids = [indicatorStixId('phone', PHONE), indicatorStixId('email', EMAIL)];
      // The first push fails, so it is still waiting to be retried when the values are withdrawn.
      answers = [500];
      await drain();
      expect(pushes).toHaveLength(1);
      const before = (await everything(early.token, ids)).join('\n');
      expect(before).toContain(PHONE);
      expect(before).toContain(EMAIL);

      // It was the victim's husband's number, and the email was wrong.
      const unit = await ctx.services.database.db
        .selectFrom('reports')
        .select('unit_id')
        .where('reference', '=', report.reference)
        .executeTakeFirstOrThrow();
      await addStaff(ctx.services, {
        email: 'officer@revoke.example',
        role: 'national-officer',
        unitId: unit.unit_id ?? undefined,
      });
      const user = await ctx.services.staff.userIdByEmail('officer@revoke.example');
      const officer = await ctx.services.staff.byId(user?.id ?? 0);
      if (officer === null) throw new Error('no officer');
      now = new Date(now.getTime() + 1000);
      await ctx.services.casework.setIndicatorSharing(
        officer,
        report.reference,
        { type: 'phone', value: PHONE },
        'hold-back',
      );
      await ctx.services.casework.setIndicatorSharing(
        officer,
        report.reference,
        { type: 'email', value: EMAIL },
        'retract',
      );
      await drain();
      // The failed push is retried now, after the withdrawal.
      now = new Date(now.getTime() + retryDelayMs(0) + 1000);
      await drain();
      expect(pushes.length).toBeGreaterThan(1);
      const pushedAfter = pushes.slice(1).join('\n');
      expect(pushedAfter).toContain(ids[0]);
      expect(pushedAfter).toContain(ids[1]);

      const late = await ctx.services.partners.add({ name: 'Late', sectors: EVERY_SECTOR, tlp: 'amber' });
      const validate = stixValidators();
      for (const token of [early.token, late.token]) {
        const bodies = await everything(token, ids);
        const all = bodies.join('\n');
        for (const trace of [PHONE, EMAIL, ...TRACES]) {
          expect(all, trace).not.toContain(trace);
          expect(pushedAfter, trace).not.toContain(trace);
        }
        // Still there, revoked, so partners know to remove what they hold.
        const objects = bodies.flatMap((b) => (JSON.parse(b) as Envelope).objects ?? []);
        for (const id of ids) {
          const versions = objects.filter((o) => o.id === id && o.type === 'indicator');
          expect(versions.length, id).toBeGreaterThan(0);
          for (const object of versions) {
            expect(object.revoked).toBe(true);
            expect(validate(object as { type: string }), id).toEqual([]);
            expect(() => {
              checkStixPattern(String(object.pattern));
            }).not.toThrow();
          }
        }
      }
    });
  },
);
