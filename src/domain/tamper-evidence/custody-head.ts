/**
 * Each case's custody chain (domain/custody/custody-chain.ts) ends in a head — the number of entries and the
 * last entry's hash — kept on the case row. The head is signed with the signing key, so a chain rewritten in the
 * database with every SHA-256 recomputed still fails: nobody without the key can sign its new head. Pure.
 */
import { GENESIS_HASH } from '../custody/custody-chain.ts';
import type { Keyring } from './signing-key.ts';

export interface CustodyHead {
  reference: string;
  count: number;
  /** Null before the first entry. */
  hash: string | null;
}

/** The exact bytes signed: the JSON array ["bluelight custody head", case reference, count, last hash]. */
export const custodyHeadMessage = (head: CustodyHead) =>
  JSON.stringify(['bluelight custody head', head.reference, head.count, head.hash ?? GENESIS_HASH]);

export function signCustodyHead(keyring: Keyring, head: CustodyHead) {
  return keyring.sign(custodyHeadMessage(head));
}

/** Why the case's recorded head is not believable, or null if a trusted key signed exactly it. */
export function custodyHeadProblem(
  keyring: Keyring,
  head: CustodyHead,
  signature: { signature: string | null; keyId: string | null },
): string | null {
  const check = keyring.check(custodyHeadMessage(head), signature.signature, signature.keyId);
  if (check === 'ok') return null;
  if (check === 'unknown-key')
    return `the custody head of ${head.reference} is signed by key ${signature.keyId ?? '(none)'}, which is not a trusted key`;
  return `the custody head of ${head.reference} (${head.count} entries) does not carry a valid signature: the chain was changed without the signing key`;
}
