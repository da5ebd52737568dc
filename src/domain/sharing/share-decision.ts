/**
 * Whether an indicator may go to partners, at which TLP and with what confidence. Pure: the sharing service reads
 * the facts, this decides.
 *
 * Two rules keep what must not leave in:
 * - Personal data: phone numbers, email addresses, bank accounts, IBANs and wallets are shared only when they come
 *   from the suspect answers or from an evidence email's sender or relay headers; from a narrative or any body text
 *   they may be the victim's or a relative's. Technical types (URLs, domains, IPs, hashes) may come from anywhere,
 *   except that a URL with a query string or fragment is shared only from the suspect answers (the intelligence
 *   service also stores its scheme+host+path form, which is shared), and a URL naming a person (the reporter's
 *   email or phone anywhere in it, any email, phone, bank account or IBAN in its path) is never shared.
 * - Corroboration: a value named only by intelligence-only or anonymous reports is shared only once staff release
 *   it or enough independent reporters name it, so nobody can get a rival's website blocked by reporting it. A live
 *   value of an external feed an admin marked as corroborating (another force's Bluelight, a trusted CTI platform)
 *   counts too; the object then goes out no less restricted than the feed marked the value.
 */
import type { IndicatorType } from '../indicators/indicator.ts';
import { hasQuery, urlNamesPerson } from './personal-urls.ts';
import { independentReporters, needsCorroboration, type ReporterFacts } from './reporter-identity.ts';
import { isSharingTlp, RESHARE_TLPS, tlpRank, type SharingTlp, type SubmissionTlp } from './tlp.ts';

/**
 * Where in a report an indicator was found. 'forwarder': the outer sender and relay headers of an email the victim
 * forwarded (their own other mailbox and home network), never shared whatever the type.
 */
export type IndicatorSource = 'suspect' | 'sender' | 'forwarder' | 'evidence' | 'narrative';

export const TECHNICAL_TYPES: ReadonlySet<string> = new Set<IndicatorType>([
  'url',
  'domain',
  'ipv4',
  'ipv6',
  'md5',
  'sha1',
  'sha256',
]);
const ATTRIBUTABLE_SOURCES: ReadonlySet<string> = new Set<IndicatorSource>(['suspect', 'sender']);
// Reports set aside as not crimes do not make indicators shareable.
const NOT_COUNTED: ReadonlySet<string> = new Set(['duplicate', 'no-crime']);

/** Whether a value of this type found here may be shared at all. */
export function mayShareFrom(type: string, source: string, value: string): boolean {
  if (source === 'forwarder') return false;
  // Personalised links carry the victim's details in the query: only the suspect answers vouch for a full URL.
  if (type === 'url' && hasQuery(value)) return source === 'suspect';
  return TECHNICAL_TYPES.has(type) || ATTRIBUTABLE_SOURCES.has(source);
}

export interface Sighting {
  source: string;
  tlp: string;
  forceId: string | null;
  category: string;
  status: string;
  reporter: ReporterFacts;
}

/** A partner's submission of the value that still counts (not withheld, not past its valid_until). */
export interface PartnerSubmissionFact {
  partnerId: number;
  tlp: SubmissionTlp;
  /** The partner allows it to be re-shared with other partners. */
  reshare: boolean;
}

export interface SharingDecision {
  shareable: boolean;
  /** Not shared only because no staff member has released it and too few independent reporters name it. */
  awaitingRelease: boolean;
  tlp: SharingTlp;
  /** Independent reporters among the reports naming it. */
  reporters: number;
  /** Forces those reports went to, never more than the reporters (one reporter's many postcodes count once). */
  forces: number;
  /** Partners that submitted it. */
  partners: number;
}

export function decideSharing(
  indicator: {
    type: string;
    value: string;
    warningList: string | null;
    heldBack: boolean;
    released: boolean;
    /** The least restrictive marking of live corroborating feed values naming it (never TLP:RED), if any. */
    feedCorroboration?: SharingTlp | null;
  },
  sightings: readonly Sighting[],
  minIndependentReports: number,
  /**
   * Partners' submissions of it. One goes on to other partners only when its partner allows it, its TLP permits
   * (CLEAR or GREEN), and a report naming it (as above: attributable, not TLP:RED) or a second partner corroborates.
   */
  submissions: readonly PartnerSubmissionFact[] = [],
): SharingDecision {
  const counted = sightings.filter((s) => !NOT_COUNTED.has(s.status));
  // What may make it shareable: attributable, and from reports whose TLP allows sharing (never TLP:RED).
  const basis = counted.filter(
    (s) => mayShareFrom(indicator.type, s.source, indicator.value) && isSharingTlp(s.tlp),
  );
  const reportTlp = basis
    .map((s) => s.tlp as SharingTlp)
    .sort((a, b) => tlpRank(a) - tlpRank(b))
    .at(0);
  const reportsCorroborate =
    indicator.released ||
    basis.some((s) => !needsCorroboration({ ...s.reporter, category: s.category, status: s.status })) ||
    independentReporters(basis.map((s) => s.reporter)) >= minIndependentReports;
  const feedTlp = indicator.feedCorroboration ?? null;
  const byFeed = !reportsCorroborate && feedTlp !== null;
  const corroborated = reportsCorroborate || byFeed;
  // Shared on a feed's word: never less restricted than the feed marked the value.
  const tlp =
    byFeed && reportTlp !== undefined && tlpRank(feedTlp) > tlpRank(reportTlp) ? feedTlp : reportTlp;
  // Any reporter's own details, checked against every report naming it (a link may be one victim's, sent to many).
  const namesPerson =
    indicator.type === 'url' &&
    urlNamesPerson(
      indicator.value,
      sightings.map((s) => s.reporter),
    );
  const clean = indicator.warningList === null && !indicator.heldBack && !namesPerson;
  const eligible = clean && tlp !== undefined;
  const partners = new Set(submissions.map((s) => s.partnerId)).size;
  const allowed = submissions.filter((s) => s.reshare && RESHARE_TLPS.has(s.tlp));
  const partnerTlp = allowed
    .map((s) => s.tlp as SharingTlp)
    .sort((a, b) => tlpRank(a) - tlpRank(b))
    .at(0);
  const byPartner = clean && partnerTlp !== undefined && (basis.length > 0 || partners >= 2);
  const byReports = eligible && corroborated;
  const tlps: SharingTlp[] = [];
  if (byReports) tlps.push(tlp);
  if (byPartner) tlps.push(partnerTlp);
  const reporters = independentReporters(counted.map((s) => s.reporter));
  const forces = new Set(counted.flatMap((s) => (s.forceId === null ? [] : [s.forceId]))).size;
  return {
    shareable: byReports || byPartner,
    awaitingRelease: eligible && !corroborated && !byPartner,
    tlp: tlps.sort((a, b) => tlpRank(a) - tlpRank(b)).at(0) ?? tlp ?? 'amber',
    reporters,
    forces: Math.min(forces, reporters),
    partners,
  };
}
