/**
 * The one way a service refuses a request. `kind` says what went wrong, never how it is answered: the web layer
 * maps it once to problem+json (plugins/errors.ts: 404, 422, 409, 403) and once to a GOV.UK error summary
 * (plugins/form-errors.ts `failForm`, the message from `serviceErrors.<code>` in the page's language); the CLI prints
 * `message` and exits non-zero.
 *
 * - not-found: it does not exist for this person, whether or not it exists at all (a case of another unit);
 * - invalid: the input breaks a rule (`field` names the input, in the API's own names);
 * - conflict: it cannot be done in the state it is in (consent withdrawn, already finished, already exists);
 * - forbidden: they can see it, but this action is not theirs.
 */
export type ServiceErrorKind = 'not-found' | 'invalid' | 'conflict' | 'forbidden';

export class ServiceError extends Error {
  override name = 'ServiceError';
  readonly field: string | undefined;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(
    readonly kind: ServiceErrorKind,
    /** Stable, kebab-case: what pages translate and API clients may branch on. */
    readonly code: string,
    /** English, for the API's problem detail, logs and the CLI. */
    message: string,
    options: { field?: string; params?: Record<string, string | number> } = {},
  ) {
    super(message);
    this.field = options.field;
    this.params = options.params ?? {};
  }
}

export const isServiceError = (error: unknown): error is ServiceError => error instanceof ServiceError;
