import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { textInputPlugin } from './plugins/text-input.ts';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TrustedProxies } from '../config/trusted-proxies.ts';
import type { Services } from '../services/index.ts';
import { EMAIL_ADDRESS } from '../domain/contact/email-address.ts';
import { advicePagesRoutes } from './features/advice-pages/advice-pages-routes.ts';
import { cyberProtectRoutes } from './features/cyber-protect/cyber-protect-routes.ts';
import { protectRequestRoutes } from './features/cyber-protect/protect-request-routes.ts';
import { healthRoutes } from './features/health/health-routes.ts';
import { pagesRoutes } from './features/pages/pages-routes.ts';
import { whoRespondsRoutes } from './features/who-responds/who-responds-routes.ts';
import { preventRoutes, preventStaffRoutes } from './features/prevent/prevent-routes.ts';
import { incidentRoutes, incidentStaffRoutes } from './features/incidents/incident-routes.ts';
import { evidenceRoutes } from './features/report/evidence-routes.ts';
import { progressRoutes } from './features/report/progress-routes.ts';
import { reportRoutes } from './features/report/report-routes.ts';
import { saveReturnRoutes } from './features/report/save-return-routes.ts';
import { triageRoutes } from './features/report/triage-routes.ts';
import { workspaceRoutes } from './features/workspace/workspace-routes.ts';
import { releaseRoutes } from './features/workspace/release-routes.ts';
import { indicatorRoutes } from './features/workspace/indicator-routes.ts';
import { reportEvidenceRoutes } from './features/workspace/evidence-routes.ts';
import { classificationReviewRoutes } from './features/classification-review/classification-review-routes.ts';
import { casesRoutes } from './features/cases/cases-routes.ts';
import { adviceRoutes } from './features/advice/advice-routes.ts';
import { adviceStaffRoutes } from './features/advice/advice-staff-routes.ts';
import { alertRoutes } from './features/alerts/alert-routes.ts';
import { alertStaffRoutes } from './features/alerts/alert-staff-routes.ts';
import { alertSubscriptionRoutes } from './features/alerts/alert-subscription-routes.ts';
import { protectFeedbackRoutes } from './features/protect/protect-feedback-routes.ts';
import { protectRoutes } from './features/protect/protect-routes.ts';
import { adminRoutes } from './features/admin/admin-routes.ts';
import { accountRoutes } from './features/account/account-routes.ts';
import { adviserRoutes } from './features/adviser/adviser-routes.ts';
import { passwordRoutes } from './features/account/password-routes.ts';
import { clientLimitsPlugin } from './plugins/client-limits.ts';
import { csrfPlugin } from './plugins/csrf.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { i18nPlugin } from './plugins/i18n.ts';
import { securityPlugin } from './plugins/security.ts';
import { createMetrics, metricsPlugin, type Metrics } from './plugins/metrics.ts';
import { sessionsPlugin } from './plugins/sessions.ts';
import { openApiPlugin } from './plugins/openapi.ts';
import { apiAuthGuard } from './plugins/api-auth.ts';
import { staffGatePlugin } from './plugins/staff-gate.ts';
import { partnerGatePlugin, PORTAL_COOKIE } from './plugins/partner-gate.ts';
import { portalRoutes } from './features/portal/portal-routes.ts';
import { portalTokenRoutes } from './features/portal/portal-token-routes.ts';
import { reportsApiRoutes } from './features/api/reports-api-routes.ts';
import { staffApiRoutes } from './features/api/staff-api-routes.ts';
import { evidenceApiRoutes } from './features/api/evidence-api-routes.ts';
import { intelligenceApiRoutes } from './features/api/intelligence-api-routes.ts';
import { groupsRoutes } from './features/groups/groups-routes.ts';
import { disruptionPortalRoutes } from './features/disruption/disruption-portal-routes.ts';
import { disruptionApiRoutes } from './features/disruption/disruption-api-routes.ts';
import { disruptionRoutes } from './features/disruption/disruption-routes.ts';
import { groupPages } from './features/groups/group-pages.ts';
import { supplierPortalRoutes } from './features/suppliers/supplier-portal-routes.ts';
import { supplierRoutes } from './features/suppliers/supplier-routes.ts';
import { taxiiRoutes } from './features/taxii/taxii-routes.ts';
import { referralsApiRoutes } from './features/api/referrals-api-routes.ts';
import { askRoutes, askStaffRoutes } from './features/ask/ask-routes.ts';
import { casesApiRoutes } from './features/api/cases-api-routes.ts';
import { statisticsApiRoutes } from './features/statistics/statistics-api-routes.ts';
import { statisticsRoutes } from './features/statistics/statistics-routes.ts';
import { unitFiguresApiRoutes } from './features/unit-figures/unit-figures-api-routes.ts';
import { unitFiguresRoutes, unitFiguresStaffRoutes } from './features/unit-figures/unit-figures-routes.ts';
import { staticAssetsPlugin } from './plugins/static-assets.ts';
import { viewsPlugin } from './plugins/views.ts';
import { logOptions, type LogStream } from './log-options.ts';

/**
 * Fastify's trustProxy from TRUSTED_PROXIES. Fastify ignores a plain hop count (it cannot check the nearest peer),
 * so hops are given as proxy-addr's trust function: the n addresses nearest the app are proxies.
 */
export function trustProxyOption(
  trusted: TrustedProxies,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trusted.kind === 'addresses') return trusted.addresses;
  if (trusted.kind === 'hops') return (_address, hop) => hop < trusted.hops;
  return false;
}

export interface AppOptions {
  /** false for no logs (tests); otherwise pino with personal data kept out (see log-options.ts). */
  logger?: FastifyServerOptions['logger'];
  /** Where log lines go (stdout by default); tests read them to prove nothing personal is written. */
  logStream?: LogStream;
  /** Counters the server also serves on METRICS_PORT; a fresh set when not given. */
  metrics?: Metrics;
}

/** Builds the web application: cross-cutting plugins first, then one line per feature. */
export async function createApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, reference } = services;
  const production = config.nodeEnv === 'production';
  const app = Fastify({
    logger: options.logger ?? logOptions(config.logLevel, options.logStream),
    trustProxy: trustProxyOption(config.trustedProxies),
    bodyLimit: 1024 * 1024,
    // Never echo internals in error pages; requests are correlated in logs by id.
    return503OnClosing: true,
    // Report every invalid field at once, and reject unknown fields rather than silently dropping them.
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false },
      // The JSON Schema `email` format is the domain's one rule, as the forms check it (after ajv-formats).
      onCreate: (ajv) => ajv.addFormat('email', EMAIL_ADDRESS),
    },
  });

  await app.register(metricsPlugin, { metrics: options.metrics ?? createMetrics(services) });
  await app.register(securityPlugin, { production, https: config.baseUrl.startsWith('https://') });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(textInputPlugin);
  await app.register(i18nPlugin);
  await app.register(csrfPlugin);
  await app.register(viewsPlugin, { reference, production });
  await app.register(errorsPlugin);
  await app.register(clientLimitsPlugin, { limits: services.clientLimits, clock: services.clock });
  await app.register(staticAssetsPlugin);
  await app.register(openApiPlugin, { baseUrl: config.baseUrl });
  await app.register(staffGatePlugin, { services });
  await app.register(partnerGatePlugin, { services });
  await app.register(apiAuthGuard);

  healthRoutes(app, services);
  pagesRoutes(app, services);
  whoRespondsRoutes(app, services);
  cyberProtectRoutes(app, services);
  advicePagesRoutes(app, services);
  adviceRoutes(app, services);
  alertRoutes(app, services);
  reportsApiRoutes(app, services);
  staffApiRoutes(app, services);
  evidenceApiRoutes(app, services);
  intelligenceApiRoutes(app, services);
  groupsRoutes(app, services);
  disruptionApiRoutes(app, services);
  taxiiRoutes(app, services);
  referralsApiRoutes(app, services);
  casesApiRoutes(app, services);
  statisticsApiRoutes(app, services);
  statisticsRoutes(app, services);
  unitFiguresApiRoutes(app, services);
  unitFiguresRoutes(app, services);
  // The public journey keeps its answers in a server-side session, and forms that go back to their page with
  // problems (failForm) keep them there; other pages never touch the session table.
  await app.register(async (journey) => {
    await journey.register(sessionsPlugin, { store: services.sessions });
    protectRequestRoutes(journey, services);
    protectFeedbackRoutes(journey, services);
    alertSubscriptionRoutes(journey, services);
    askRoutes(journey, services);
    preventRoutes(journey, services);
    incidentRoutes(journey, services);
    triageRoutes(journey, services);
    reportRoutes(journey, services);
    await evidenceRoutes(journey, services);
    progressRoutes(journey, services);
    saveReturnRoutes(journey, services);
    workspaceRoutes(journey, services);
    reportEvidenceRoutes(journey, services);
    passwordRoutes(journey, services);
    accountRoutes(journey, services);
    releaseRoutes(journey, services);
    indicatorRoutes(journey, services);
    classificationReviewRoutes(journey, services);
    casesRoutes(journey, services);
    askStaffRoutes(journey, services);
    preventStaffRoutes(journey, services);
    incidentStaffRoutes(journey, services);
    disruptionRoutes(journey, services);
    groupPages(journey, services);
    supplierRoutes(journey, services);
    adviceStaffRoutes(journey, services);
    protectRoutes(journey, services);
    alertStaffRoutes(journey, services);
    unitFiguresStaffRoutes(journey, services);
    adminRoutes(journey, services);
    // Its own context: the journey mounted again for call handlers, with a multipart parser of its own.
    await journey.register(async (adviser) => adviserRoutes(adviser, services));
  });
  // The partner portal: its own session cookie (path /partner), so a partner's session never reaches a staff page
  // and a staff session never reaches the portal.
  await app.register(async (portal) => {
    await portal.register(sessionsPlugin, { store: services.sessions, cookie: PORTAL_COOKIE });
    portalRoutes(portal, services);
    portalTokenRoutes(portal, services);
    disruptionPortalRoutes(portal, services);
    await supplierPortalRoutes(portal, services);
  });
  return app;
}
