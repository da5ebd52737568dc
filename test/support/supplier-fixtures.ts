/**
 * A unit with a case, an exhibit holding a file, a victim with distinctive details, two suppliers on the framework
 * (each with a portal user), a partner that is not a supplier, and a budget: what the supplier tests start from.
 */
import type { TOTP } from 'otpauth';
import type { PartnerUser, StaffMember } from '../../src/domain/access/access-policy.ts';
import type { Services } from '../../src/services/index.ts';
import type { Partner } from '../../src/services/partners.ts';
import { addStaff } from './staff-fixtures.ts';
import { makeSubmission } from './submissions.ts';

/** The victim's own details: distinctive, so a trace of them anywhere a supplier reads is found. */
export const VICTIM = {
  name: 'Ottoline Marchbanks',
  email: 'ottoline.marchbanks@example.org',
  phone: '07911 654321',
};
export const EXHIBIT_FILE = Buffer.from('handset extraction image: bytes the supplier is sent');
export const PARTNER_PASSWORD = 'a long enough partner password';
export const FY = '2026-27';

export interface SupplierWorld {
  officer: StaffMember;
  supervisor: StaffMember;
  stranger: StaffMember;
  caseReference: string;
  exhibitId: number;
  exhibitRef: string;
  supplier: Partner;
  otherSupplier: Partner;
  bank: Partner;
  users: { supplier: PartnerUser; otherSupplier: PartnerUser; bank: PartnerUser };
  /** Their authenticator secrets (base32), to sign in to the portal. */
  secrets: Record<string, string>;
  /** The staff's authenticators, by email. */
  totps: Record<string, TOTP>;
}

async function member(services: Services, email: string): Promise<StaffMember> {
  const found = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
  if (found === null) throw new Error(`no ${email}`);
  return found;
}

export async function supplierWorld(services: Services): Promise<SupplierWorld> {
  const accounts = [
    ['officer@cumbria.example', 'force-officer', 'cumbria'],
    ['supervisor@cumbria.example', 'force-supervisor', 'cumbria'],
    ['officer@lancashire.example', 'force-officer', 'lancashire'],
  ] as const;
  const totps: Record<string, TOTP> = {};
  for (const [email, role, forceId] of accounts)
    totps[email] = await addStaff(services, { email, role, forceId });
  const [officer, supervisor, stranger] = await Promise.all(
    accounts.map(([email]) => member(services, email)),
  );
  if (officer === undefined || supervisor === undefined || stranger === undefined)
    throw new Error('no staff');

  const report = await services.reportIntake.submit(
    makeSubmission({
      reporter: {
        name: VICTIM.name,
        victimName: null,
        email: VICTIM.email,
        phone: VICTIM.phone,
        preferredContact: 'email',
      },
    }),
  );
  await services.intelligence.linkPending();
  await services.database.db
    .updateTable('reports')
    .set({ unit_id: 'cumbria-cyber' })
    .where('reference', '=', report.reference)
    .execute();
  const caseReference = await services.investigations.createCase(officer, {
    title: 'Handset fraud',
    reports: [report.reference],
    restricted: false,
    members: [],
  });
  const exhibit = await services.investigations.addExhibit(officer, caseReference, {
    initials: 'JS',
    kind: 'phone',
    description: 'Handset seized from the suspect',
    seizedAt: '2026-12-01T10:00:00.000Z',
    seizedWhere: 'Carlisle',
    sealNumbers: ['S1'],
  });
  await services.investigations.addFile(officer, exhibit.id, 'extraction.bin', EXHIBIT_FILE);

  const partner = async (name: string, sectors: string[]) => {
    const added = await services.partners.add({ name, sectors, tlp: 'green' });
    return added.id;
  };
  const supplierId = await partner('Acme Forensics', ['all-sectors']);
  const otherId = await partner('Rival Labs', ['all-sectors']);
  const bankId = await partner('Big Bank', ['finance']);
  await services.suppliers.addSupplier(
    {
      partnerId: supplierId,
      rates: [
        { capability: 'device-forensics', dayRatePence: 85_000 },
        { capability: 'crypto-tracing', dayRatePence: 120_000 },
      ],
      accreditations: [{ name: 'ISO/IEC 17025', expiresOn: '2027-03-31' }],
      staff: [{ name: 'Dana Examiner', vettingLevel: 'nppv3', vettingExpiresOn: '2028-01-01' }],
    },
    'test',
  );
  await services.suppliers.addSupplier(
    {
      partnerId: otherId,
      rates: [{ capability: 'osint', dayRatePence: 60_000 }],
      accreditations: [],
      staff: [],
    },
    'test',
  );
  await services.suppliers.setBudget(
    { unitId: 'cumbria-cyber', financialYear: FY, budgetPence: 1_000_000 },
    'test',
  );

  const secrets: Record<string, string> = {};
  const user = async (partnerId: number, email: string): Promise<PartnerUser> => {
    const made = await services.partnerUsers.add(
      { operator: 'test' },
      { partnerId, email, role: 'partner-admin', password: PARTNER_PASSWORD },
    );
    await services.database.db
      .updateTable('users')
      .set({ password_change_due: 0 })
      .where('id', '=', made.id)
      .execute();
    secrets[email] = made.secret;
    return { id: made.id, email, role: 'partner-admin', partnerId };
  };
  const byId = async (id: number) => {
    const found = await services.partners.byId(id);
    if (found === null) throw new Error('no partner');
    return found;
  };
  return {
    officer,
    supervisor,
    stranger,
    caseReference,
    exhibitId: exhibit.id,
    exhibitRef: exhibit.exhibitRef,
    supplier: await byId(supplierId),
    otherSupplier: await byId(otherId),
    bank: await byId(bankId),
    users: {
      supplier: await user(supplierId, 'lab@acme.example'),
      otherSupplier: await user(otherId, 'lab@rival.example'),
      bank: await user(bankId, 'ops@bank.example'),
    },
    secrets,
    totps,
  };
}
