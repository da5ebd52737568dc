/**
 * Unit figures (issue 24): the public page of each unit (`/units/:id`, the last 12 ended months, protected cell by
 * cell: services.unitFigures.published) and the workspace page (`/staff/unit-figures`, exact, any unit and range).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseMonthRange, monthsBack } from '../../../domain/statistics/unit-figures.ts';
import type { Unit } from '../../../reference-data/schema.ts';
import type { Services } from '../../../services/index.ts';
import { MAX_UNIT_MONTHS, PUBLIC_UNIT_MONTHS } from '../../../services/unit-figures.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { monthLabel, unitFigureSections } from './unit-figure-sections.ts';

const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

export function unitFiguresRoutes(app: FastifyInstance, services: Services): void {
  const { reference, unitFigures } = services;

  // Every unit with a figures page, by level (a force's, a region's, the national ones), named in the page's language.
  app.get('/units', async (request, reply) => {
    const name = (unit: Unit) => (request.lng === 'cy' ? unit.nameCy : unit.name);
    const level = (kinds: readonly Unit['kind'][]) =>
      reference.units
        .filter((unit) => kinds.includes(unit.kind))
        .map((unit) => ({ name: name(unit), href: unitFiguresUrl(unit.id) }))
        .sort((a, b) => a.name.localeCompare(b.name, request.lng));
    return reply.page('unit-figures/views/units.njk', {
      pageTitle: request.t('unitFigures.index.title'),
      groups: [
        { id: 'force', units: level(['force']) },
        { id: 'regional', units: level(['regional']) },
        { id: 'national', units: level(['national', 'fraud-assessment']) },
      ],
    });
  });

  app.get<{ Params: { id: string } }>('/units/:id', async (request, reply) => {
    const unit = reference.unit(request.params.id);
    if (unit === undefined) return notFound(reply);
    const figures = await unitFigures.published(unit.id);
    return reply.page('unit-figures/views/unit.njk', {
      pageTitle: request.t('unitFigures.title', {
        unit: request.lng === 'cy' ? unit.nameCy : unit.name,
      }),
      unit,
      months: PUBLIC_UNIT_MONTHS,
      ...unitFigureSections(request, figures),
    });
  });
}

/** The workspace page: registered where the session is loaded (the staff gate reads it). */
export function unitFiguresStaffRoutes(app: FastifyInstance, services: Services): void {
  const { reference, unitFigures } = services;
  app.get<{ Querystring: Record<string, unknown> }>(
    '/staff/unit-figures',
    { config: { staff: { allow: 'unit-figures' } } },
    async (request, reply) => {
      const staff = staffOf(request);
      const latest = unitFigures.currentMonth();
      const query = request.query;
      const str = (name: string) => (typeof query[name] === 'string' ? query[name].trim().slice(0, 100) : '');
      const asked = str('unit');
      const unitId = asked !== '' ? asked : (staff.unitId ?? reference.unitDirectory.nationalUnit);
      const values = {
        unit: unitId,
        from: str('from') || monthsBack(latest, 11),
        to: str('to') || latest,
      };
      const range = parseMonthRange(values.from, values.to, { latest, maxMonths: MAX_UNIT_MONTHS });
      const errors = [
        ...(reference.unit(unitId) === undefined
          ? [{ text: request.t('unitFigures.errors.unit'), href: '#unit', field: 'unit' }]
          : []),
        ...(range.ok
          ? []
          : range.problems.map((p) => ({
              text: request.t(`unitFigures.errors.${p.field}.${p.code}`, {
                max: MAX_UNIT_MONTHS,
                latest: monthLabel(request.lng, latest),
              }),
              href: `#${p.field}`,
              field: p.field,
            }))),
      ];
      const base = {
        pageTitle: request.t('unitFigures.staff.title'),
        units: reference.units,
        values,
      };
      reply.header('cache-control', 'no-store');
      if (!range.ok || errors.length > 0)
        return reply.code(400).page('unit-figures/views/staff.njk', {
          ...base,
          errors,
          fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e])),
        });
      const figures = await unitFigures.exact(unitId, range.from, range.to);
      return reply.page('unit-figures/views/staff.njk', { ...base, ...unitFigureSections(request, figures) });
    },
  );
}

/** Where a unit's public figures are (the "who responds" page links each level there). */
export const unitFiguresUrl = (unitId: string) => `/units/${encodeURIComponent(unitId)}`;
