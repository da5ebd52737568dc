import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { unitFiguresUrl } from '../unit-figures/unit-figures-routes.ts';

/** Where a level's figures are: its unit's own page, or the crime figures when the visitor's force is not known. */
const figuresUrl = (unitId: string | undefined) =>
  unitId === undefined ? '/statistics' : unitFiguresUrl(unitId);

/**
 * "Who responds": the three levels of the police response to cybercrime (seed 001), each with its figures and the
 * region's Cyber Protect team. `?force=` (the confirmation and progress pages know it) names the visitor's own units.
 */
export function whoRespondsRoutes(app: FastifyInstance, services: Services): void {
  const { reference } = services;
  app.get<{ Querystring: { force?: string } }>('/who-responds', async (request, reply) => {
    const force = typeof request.query.force === 'string' ? reference.force(request.query.force) : undefined;
    const region = force === undefined ? undefined : reference.regionOfForce(force.id);
    const forceUnit = force === undefined ? undefined : reference.unitDirectory.forceUnit(force.id);
    const regionalUnit = force === undefined ? undefined : reference.unitDirectory.regionalUnit(force.id);
    const nationalUnit = reference.unitDirectory.nationalUnit;
    return reply.page('who-responds/views/who-responds.njk', {
      pageTitle: request.t('whoResponds.title'),
      force,
      region,
      protect: force === undefined ? undefined : reference.cyberProtectFor(force.id),
      levels: {
        local: { unitId: forceUnit, figures: figuresUrl(forceUnit) },
        regional: { unitId: regionalUnit, figures: figuresUrl(regionalUnit) },
        national: { unitId: nationalUnit, figures: figuresUrl(nationalUnit) },
      },
    });
  });
}
