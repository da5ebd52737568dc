/**
 * The TAXII 2.1 data side: collections (one per sector and TLP, plus the writable partner-feedback collection),
 * who may use which, and paged queries over the published object store. HTTP details live in the routes.
 */
import { v5 as uuidv5 } from 'uuid';
import type { CopyOut, Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type {
  ManifestRow,
  ObjectFilters,
  ObjectRow,
  ObjectScope,
} from '../db/repositories/sharing-repository.ts';
import { SHARING_TLPS, tlpRank, type SharingTlp } from '../domain/sharing/tlp.ts';
import type { Partner } from './partners.ts';
import { SECTORS, type Sector } from '../domain/sharing/sectors.ts';

const COLLECTION_NAMESPACE = '0d5c7a3e-8f1b-4c62-9e2d-5a7b3c1f9e40';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export type CollectionSector = Sector | 'all-sectors';

export interface Collection {
  id: string;
  title: string;
  description: string;
  sector: CollectionSector | null;
  tlp: SharingTlp | null;
  canWrite: boolean;
}

const SECTOR_TITLES: Record<CollectionSector, string> = {
  finance: 'Finance',
  telecoms: 'Telecoms',
  hosting: 'Hosting',
  retail: 'Retail',
  'public-sector': 'Public sector',
  'all-sectors': 'All sectors',
};

export const COLLECTIONS: readonly Collection[] = [
  ...(['all-sectors', ...SECTORS] as const).flatMap((sector) =>
    SHARING_TLPS.map((tlp) => ({
      id: uuidv5(`collection:${sector}:${tlp}`, COLLECTION_NAMESPACE),
      title: `${SECTOR_TITLES[sector]} — TLP:${tlp.toUpperCase()}`,
      description: `Indicators and campaigns from crime reports to UK police, relevant to ${SECTOR_TITLES[sector].toLowerCase()}, marked TLP:${tlp.toUpperCase()}.`,
      sector,
      tlp,
      canWrite: false,
    })),
  ),
  {
    id: uuidv5('collection:partner-feedback', COLLECTION_NAMESPACE),
    title: 'Partner feedback',
    description:
      'Post sightings of published indicators, and notes labelled "takedown" when a site or account has been taken down.',
    sector: null,
    tlp: null,
    canWrite: true,
  },
  {
    id: uuidv5('collection:partner-submissions', COLLECTION_NAMESPACE),
    title: 'Partner submissions',
    description:
      'Post indicators and observables you hold (STIX 2.1): they are matched against crime reports at once, and shared on only as your markings allow.',
    sector: null,
    tlp: null,
    canWrite: true,
  },
];

const byId = (id: string) => COLLECTIONS.find((c) => c.id === id) as Collection;
export const FEEDBACK_COLLECTION = byId(uuidv5('collection:partner-feedback', COLLECTION_NAMESPACE));
export const SUBMISSIONS_COLLECTION = byId(uuidv5('collection:partner-submissions', COLLECTION_NAMESPACE));

/** A partner reads the collections of its sectors (all-sectors only if given it) up to its TLP. */
export function canRead(partner: Partner, collection: Collection): boolean {
  if (collection.sector === null || collection.tlp === null) return false;
  const sectors: readonly string[] = partner.sectors;
  return sectors.includes(collection.sector) && tlpRank(collection.tlp) <= tlpRank(partner.tlp);
}

/** Whether a stored object version is in at least one collection the partner reads. */
export function visibleTo(partner: Partner, row: { tlp: string; sectors: string }): boolean {
  const tlpOk = row.tlp === '*' || tlpRank(row.tlp) <= tlpRank(partner.tlp);
  const sectors: readonly string[] = partner.sectors;
  const sectorOk =
    row.sectors === '*' ||
    sectors.includes('all-sectors') ||
    sectors.some((s) => row.sectors.includes(`,${s},`));
  return tlpOk && sectorOk;
}

/** Every partner gives feedback; only partners given the permission submit indicators. */
export function canWrite(partner: Partner, collection: Collection): boolean {
  if (collection.id === SUBMISSIONS_COLLECTION.id) return partner.canSubmit;
  return collection.canWrite;
}

export type { ManifestRow, ObjectFilters, ObjectRow };

/** Opaque, stateless paging cursor: the last row returned. It stays valid whatever limit or filters come with it. */
export function encodeCursor(rowId: number): string {
  return Buffer.from(`bl1:${rowId}`).toString('base64url');
}

/** The largest row id: ids are 32-bit integers on PostgreSQL, so a cursor past it was never given. */
const MAX_ROW_ID = 2_147_483_647;

export function decodeCursor(next: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(next)) return null;
  const match = /^bl1:(\d{1,15})$/.exec(Buffer.from(next, 'base64url').toString('utf8'));
  const id = match === null ? NaN : Number(match[1]);
  return id <= MAX_ROW_ID ? id : null;
}

export function createTaxii(db: Db, repos: Repositories = repositories, copyOut: CopyOut | null = null) {
  /** One page of a collection's object versions, ascending by date added, plus whether more follow. */
  async function paged<Row>(
    collection: Collection,
    filters: ObjectFilters,
    limit: number,
    read: (scope: ObjectScope, count: number) => Promise<Row[]>,
  ): Promise<{ rows: Row[]; more: boolean }> {
    if (collection.tlp === null || collection.sector === null) return { rows: [], more: false };
    if (filters.specVersions !== undefined && !filters.specVersions.includes('2.1'))
      return { rows: [], more: false };
    const rows = await read({ tlp: collection.tlp, sector: collection.sector }, limit + 1);
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** A page of objects with their stored JSON. */
  const page = (collection: Collection, filters: ObjectFilters, after: number, limit: number) =>
    paged(collection, filters, limit, async (scope, count) => {
      // PostgreSQL: the objects' JSON as bytes (pageObjectsCopied), where the filters allow it.
      const copied =
        copyOut === null
          ? null
          : await repos.sharing.pageObjectsCopied(copyOut, scope, filters, after, count);
      return copied ?? repos.sharing.pageObjects(db, scope, filters, after, count);
    });
  /** A page of object versions without their JSON (manifest, versions). */
  const manifest = (collection: Collection, filters: ObjectFilters, after: number, limit: number) =>
    paged(collection, filters, limit, (scope, count) =>
      repos.sharing.pageManifest(db, scope, filters, after, count),
    );

  return {
    page,
    manifest,

    /** Whether any version of an object is in the collection (object and versions endpoints answer 404 if not). */
    async holds(collection: Collection, stixId: string): Promise<boolean> {
      const { rows } = await manifest(collection, { ids: [stixId], versions: ['all'] }, 0, 1);
      return rows.length > 0;
    },

    async status(id: string, partnerId: number): Promise<object | null> {
      const body = await repos.sharing.findStatusBody(db, id, partnerId);
      return body === undefined ? null : (JSON.parse(body) as object);
    },
  };
}

export type Taxii = ReturnType<typeof createTaxii>;
