/** What the workspace's cases list page shows, read from its HTML (the cases list tests and its attack tests). */

/** The case references in the list's table, in the order shown. */
export const shownCases = (body: string) =>
  [
    ...body.matchAll(
      /<th scope="row" class="govuk-table__header app-nowrap"><a class="govuk-link" href="\/staff\/cases\/(CASE-[0-9A-Z]{8})">/g,
    ),
  ].map((m) => m[1]);

/** A status tab's text ("Open (3)"), or undefined without one. */
export const statusTab = (body: string, status: string) =>
  new RegExp(`data-status-tab="${status}">\\s*([^<]+?)\\s*<`).exec(body)?.[1];
