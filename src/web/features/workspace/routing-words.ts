import type { FastifyRequest } from 'fastify';
import type { RoutingFact } from '../../../domain/routing/route-report.ts';
import type { ReferenceData } from '../../../reference-data/reference-data.ts';

const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB')}`;

/**
 * The facts a routing rule used, in the page's language (`workspace.routingFacts.*`): types of crime, sectors and
 * forces by their names. A report routed before the facts were coded holds English sentences, shown as they are.
 */
export function routingFactWords(
  request: FastifyRequest,
  reference: ReferenceData,
  facts: readonly (string | RoutingFact)[],
): string[] {
  const t = request.t;
  const key = (name: string, params: Record<string, unknown> = {}) =>
    t(`workspace.routingFacts.${name}`, params);
  return facts.map((f) => {
    if (typeof f === 'string') return f;
    switch (f.fact) {
      case 'category':
        return key('category', { category: t(`statistics.categories.${f.category}`) });
      case 'cyber':
        return key('cyber', { cyber: t(`statistics.cyber.${f.cyber}`) });
      case 'organisation':
        return key(f.organisation ? 'organisation' : 'notOrganisation');
      case 'cni-sector':
        return key('cniSector', {
          sector: t(`report.options.sector.${f.sector}`, { defaultValue: f.sector }),
        });
      case 'ongoing':
        return key(f.ongoing ? 'ongoing' : 'stopped');
      case 'force': {
        if (f.forceId === null) return key('forceUnknown');
        const force = reference.force(f.forceId);
        const name =
          force === undefined ? f.forceId : request.lng === 'cy' && force.nameCy ? force.nameCy : force.name;
        return key('force', { force: name });
      }
      case 'min-loss':
        return key('minLoss', { amount: pounds(f.pence) });
      case 'leads':
        return f.leads.kind === 'loss'
          ? key('leadsLoss', { amount: pounds(f.leads.pence), threshold: pounds(f.leads.thresholdPence) })
          : key(f.leads.kind === 'vulnerable' ? 'leadsVulnerable' : 'leadsNamedSuspect');
      case 'transferred':
        return key('transferred', { by: f.by, reason: f.reason });
    }
  });
}
