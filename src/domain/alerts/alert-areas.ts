/**
 * Where stay-safe alerts are published and who they reach (issue 24). An area is a force (`force:cumbria`) or a
 * region (`region:north-west`). Pure: the forces and regions are passed in.
 */
export type AreaKind = 'force' | 'region';
export interface Area {
  kind: AreaKind;
  id: string;
}

export interface AreaMap {
  /** The region a force belongs to (none for forces outside England and Wales' regions). */
  regionOfForce(forceId: string): string | undefined;
  forcesOfRegion(regionId: string): readonly string[];
  isForce(id: string): boolean;
  isRegion(id: string): boolean;
}

export const areaKey = (area: Area): string => `${area.kind}:${area.id}`;

export function parseArea(key: string, map: AreaMap): Area | null {
  const [kind, id, extra] = key.split(':');
  if (extra !== undefined || id === undefined) return null;
  if (kind === 'force' && map.isForce(id)) return { kind, id };
  if (kind === 'region' && map.isRegion(id)) return { kind, id };
  return null;
}

/**
 * The areas whose pages show an alert of `area`, and whose subscribers it reaches: a force's alert also reaches
 * its region's page and subscribers; a region's alert also reaches each of its forces'.
 */
export function areasReached(area: Area, map: AreaMap): string[] {
  if (area.kind === 'force') {
    const region = map.regionOfForce(area.id);
    return [areaKey(area), ...(region === undefined ? [] : [`region:${region}`])];
  }
  return [areaKey(area), ...map.forcesOfRegion(area.id).map((f) => `force:${f}`)];
}

/** The alerts shown on an area's page: the same relation read the other way round (it is symmetric). */
export const areasShownOn = areasReached;
