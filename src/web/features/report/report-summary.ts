import type { FastifyRequest } from 'fastify';
import {
  reportPages,
  reporterType,
  type ReportDraft,
  type ReportPage,
} from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { journeyOffers } from './report-session.ts';

interface Row {
  key: { text: string };
  value: { text: string };
  actions: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

/** Check-your-answers rows, one per answer, each with a Change link back to its page. */
export function checkAnswersRows(
  draft: ReportDraft,
  request: FastifyRequest,
  services: Services,
  base = '/report',
): Row[] {
  const t = request.t;
  const rows: Row[] = [];
  // `page` is a report page, or the path of a triage question.
  const add = (page: ReportPage | `/${string}`, label: string, value: string) => {
    const href = page.startsWith('/') ? `${base}${page}` : `${base}/${page}?change=1`;
    rows.push({
      key: { text: label },
      value: { text: value === '' ? t('report.check.notGiven') : value },
      actions: { items: [{ href, text: t('report.check.change'), visuallyHiddenText: label.toLowerCase() }] },
    });
  };
  const pages = reportPages(draft, journeyOffers(services));
  const opt = (group: string, value: string | undefined) =>
    value ? t(`report.options.${group}.${value}`) : '';

  add(
    '/triage/reporting-for',
    t('report.check.reportingFor'),
    t(`triage.reporting-for.options.${draft.triage['reporting-for'] ?? 'myself'}`),
  );
  if (pages.includes('organisation') && draft.organisation) {
    add(
      'organisation',
      t('report.check.organisation'),
      [
        draft.organisation.name,
        opt('sector', draft.organisation.sector),
        opt('employees', draft.organisation.employees),
      ].join('\n'),
    );
  }
  if (pages.includes('about-you') && draft.aboutYou) {
    add('about-you', t('report.check.name'), draft.aboutYou.name);
    if (reporterType(draft) === 'on-behalf')
      add('about-you', t('report.check.victimName'), draft.aboutYou.victimName);
  }
  if (pages.includes('what-happened') && draft.whatHappened) {
    add('what-happened', t('report.check.whatHappened'), opt('choice', draft.whatHappened.choice));
    add('what-happened', t('report.check.narrative'), draft.whatHappened.narrative);
  }
  if (pages.includes('suspicious') && draft.suspicious) {
    add('suspicious', t('report.check.sender'), draft.suspicious.sender);
    add('suspicious', t('report.check.link'), draft.suspicious.link);
    add('suspicious', t('report.check.narrative'), draft.suspicious.narrative);
  }
  if (pages.includes('when') && draft.when) {
    const { day, month, year } = draft.when;
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    add(
      'when',
      t('report.check.when'),
      date.toLocaleDateString(request.lng === 'cy' ? 'cy-GB' : 'en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
    );
    add('when', t('report.check.ongoing'), t(`report.options.yesNo.${draft.when.ongoing}`));
  }
  if (pages.includes('contact-method') && draft.contactMethod)
    add('contact-method', t('report.check.contactMethod'), opt('method', draft.contactMethod.method));
  if (pages.includes('money') && draft.money) {
    const m = draft.money;
    add(
      'money',
      t('report.check.lostMoney'),
      m.lost === 'yes'
        ? `£${m.amount.replace(/^£/, '')} (${opt('paymentMethod', m.method)})`
        : t('report.options.yesNo.no'),
    );
    if (m.sortCode !== '') add('money', t('report.check.suspectBank'), `${m.sortCode} ${m.accountNumber}`);
    if (m.wallets !== '') add('money', t('report.check.wallets'), m.wallets);
  }
  if (pages.includes('suspect') && draft.suspect) {
    const s = draft.suspect;
    const known = [s.names, s.emails, s.phones, s.websites, s.socials].filter((x) => x !== '').join('\n');
    add('suspect', t('report.check.suspect'), known);
  }
  if (pages.includes('evidence')) {
    add('evidence', t('report.check.evidence'), (draft.evidence ?? []).map((e) => e.fileName).join('\n'));
  }
  if (pages.includes('vulnerability') && draft.vulnerability) {
    add(
      'vulnerability',
      t('report.check.vulnerability'),
      draft.vulnerability.flags.map((f) => opt('flags', f)).join('\n'),
    );
  }
  if (pages.includes('contact-details') && draft.contactDetails) {
    const c = draft.contactDetails;
    add(
      'contact-details',
      t('report.check.contact'),
      [c.email, c.phone, c.preferred ? opt('preferred', c.preferred) : ''].filter((x) => x !== '').join('\n'),
    );
  }
  if (pages.includes('postcode') && draft.postcode)
    add('postcode', t('report.check.postcode'), draft.postcode.normalised);
  if (pages.includes('force') && draft.force) {
    const force = services.reference.force(draft.force.force);
    add(
      'force',
      t('report.check.force'),
      force ? (request.lng === 'cy' && force.nameCy ? force.nameCy : force.name) : '',
    );
  }
  if (pages.includes('victim-support') && draft.victimSupport)
    add(
      'victim-support',
      t('report.check.victimSupport'),
      t(`report.options.yesNo.${draft.victimSupport.consent}`),
    );
  return rows;
}
