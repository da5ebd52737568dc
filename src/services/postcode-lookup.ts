import { forceForPostcode, type ForceLookup } from '../domain/postcode/force-for-postcode.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { Force, Region, CyberProtectContact } from '../reference-data/schema.ts';

export interface PostcodePlace {
  force: Force;
  region: Region | undefined;
  cyberProtect: CyberProtectContact | undefined;
}

export type PostcodeAnswer =
  | Exclude<ForceLookup, { kind: 'found' }>
  | (Extract<ForceLookup, { kind: 'found' }> & { places: PostcodePlace[] });

/** Postcode → force(s), each with its region and Cyber Protect contact, from the reference data. */
export function createPostcodeLookup(reference: ReferenceData) {
  return {
    lookup(input: string): PostcodeAnswer {
      const result = forceForPostcode(reference.postcodeAreas, input);
      if (result.kind !== 'found') return result;
      const places = result.forces.flatMap((id) => {
        const force = reference.force(id);
        return force === undefined
          ? []
          : [{ force, region: reference.regionOfForce(id), cyberProtect: reference.cyberProtectFor(id) }];
      });
      return { ...result, places };
    },
  };
}
