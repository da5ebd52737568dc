import type { AreaMap } from '../../domain/alerts/alert-areas.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';

/** The forces and regions of the reference data, as the pure area rules read them. */
export function areaMapOf(reference: ReferenceData): AreaMap {
  return {
    regionOfForce: (forceId) => reference.regionOfForce(forceId)?.id,
    forcesOfRegion: (regionId) => reference.regions.find((r) => r.id === regionId)?.forces ?? [],
    isForce: (id) => reference.force(id) !== undefined,
    isRegion: (id) => reference.regions.some((r) => r.id === id),
  };
}

/** An area's name in the page's language. */
export function areaName(reference: ReferenceData, key: string, lng: 'en' | 'cy'): string {
  const [kind, id = ''] = key.split(':');
  if (kind === 'force') {
    const force = reference.force(id);
    return (lng === 'cy' ? force?.nameCy : undefined) ?? force?.name ?? id;
  }
  const region = reference.regions.find((r) => r.id === id);
  return (lng === 'cy' ? region?.nameCy : region?.name) ?? id;
}

/** The area a unit publishes alerts for: its force, or its region; none for national units. */
export function areaOfUnit(reference: ReferenceData, unitId: string): string | null {
  const unit = reference.unit(unitId);
  if (unit?.kind === 'force' && unit.force !== undefined) return `force:${unit.force}`;
  if (unit?.kind === 'regional' && unit.region !== undefined) return `region:${unit.region}`;
  return null;
}
