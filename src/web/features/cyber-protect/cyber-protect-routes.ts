import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import type { PostcodeAnswer } from '../../../services/postcode-lookup.ts';

const MAX_POSTCODE_INPUT = 20;

function postcodeError(request: FastifyRequest, raw: string, answer: PostcodeAnswer | null): string | null {
  if (raw.trim() === '') return request.t('cyberProtect.errors.empty');
  if (answer === null) return request.t('cyberProtect.errors.tooLong');
  if (answer.kind === 'invalid') return request.t('cyberProtect.errors.invalid');
  return null;
}

/** One row per Cyber Protect contact, with the forces it serves. */
function directoryRows(services: Services, lng: string) {
  const { reference } = services;
  const local = (item: { name: string; nameCy?: string }) =>
    lng === 'cy' && item.nameCy ? item.nameCy : item.name;
  return reference.regions.flatMap((region) =>
    region.cyberProtect.map((contact) => {
      const forces = (contact.forces ?? region.forces).flatMap((id) => reference.force(id) ?? []);
      // English shows the directory's own label; Welsh builds one from Welsh names.
      const welshLabel = contact.forces
        ? forces.map(local).join(', ')
        : `${local(region)} (${region.rocu.shortName})`;
      return { contact, forces, label: lng === 'cy' ? welshLabel : contact.label };
    }),
  );
}

/** The regional Cyber Protect directory, with a postcode search for the visitor's own force and unit. */
export function cyberProtectRoutes(app: FastifyInstance, services: Services): void {
  app.get('/cyber-protect', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const raw = typeof query.postcode === 'string' ? query.postcode : undefined;
    let answer: PostcodeAnswer | null = null;
    let error: string | null = null;
    if (raw !== undefined) {
      answer = raw.length > MAX_POSTCODE_INPUT ? null : services.postcodes.lookup(raw);
      error = postcodeError(request, raw, answer);
      if (error !== null) reply.code(400);
    }
    return reply.page('cyber-protect/views/cyber-protect.njk', {
      pageTitle: request.t('cyberProtect.title'),
      directory: directoryRows(services, request.lng),
      directorySource: services.reference.directorySource,
      postcode: raw,
      answer: error === null ? answer : null,
      error,
      errors: error === null ? [] : [{ text: error, href: '#postcode' }],
    });
  });
}
