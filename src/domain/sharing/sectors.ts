/** The industry sectors Bluelight shares with; each has its own TAXII collections. */
export const SECTORS = ['finance', 'telecoms', 'hosting', 'retail', 'public-sector'] as const;
export type Sector = (typeof SECTORS)[number];
