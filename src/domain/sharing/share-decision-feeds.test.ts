import { describe, expect, it } from 'vitest';
import { decideSharing, type Sighting } from './share-decision.ts';

// One anonymous suspicious-message report: alone it never gets a value shared.
const anonymous: Sighting = {
  source: 'suspect',
  tlp: 'clear',
  forceId: 'cumbria',
  category: 'phishing-attempt',
  status: 'intelligence',
  reporter: { partnerTokenId: null, email: null, phone: null, client: 'client-1' },
};
const domain = {
  type: 'domain',
  value: 'parcel-fee.example',
  warningList: null,
  heldBack: false,
  released: false,
};

describe('external feeds corroborate sharing', () => {
  it('shares a value one anonymous report names once a corroborating feed knows it, no less restricted than the feed', () => {
    expect(decideSharing(domain, [anonymous], 3)).toMatchObject({ shareable: false, awaitingRelease: true });
    const byFeed = decideSharing({ ...domain, feedCorroboration: 'amber' }, [anonymous], 3);
    expect(byFeed).toMatchObject({ shareable: true, awaitingRelease: false, tlp: 'amber' });
  });

  it('never overrides the other rules: warning lists, holding back, personal data from a narrative', () => {
    const feed = { feedCorroboration: 'clear' as const };
    expect(decideSharing({ ...domain, ...feed, warningList: 'popular' }, [anonymous], 3).shareable).toBe(
      false,
    );
    expect(decideSharing({ ...domain, ...feed, heldBack: true }, [anonymous], 3).shareable).toBe(false);
    const phone = { ...domain, ...feed, type: 'phone', value: '+447700900123' };
    expect(decideSharing(phone, [{ ...anonymous, source: 'narrative' }], 3).shareable).toBe(false);
  });

  it('keeps the reports’ own marking when they corroborate it themselves', () => {
    const released = decideSharing({ ...domain, released: true, feedCorroboration: 'amber' }, [anonymous], 3);
    expect(released).toMatchObject({ shareable: true, tlp: 'clear' });
  });
});
