/** Distances between points on the Earth, for placing call data records near a place (pure). */

/** Great-circle distance (haversine), good to a few metres at cell-site scale. */
export function metresBetween(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

/** The events with a position within `radiusM` metres of the place (events without one are never near). */
export function eventsNear<E extends { lat: number | null; lon: number | null }>(
  events: readonly E[],
  place: { lat: number; lon: number; radiusM: number },
): E[] {
  return events.filter(
    (e) =>
      e.lat !== null && e.lon !== null && metresBetween(e.lat, e.lon, place.lat, place.lon) <= place.radiusM,
  );
}
