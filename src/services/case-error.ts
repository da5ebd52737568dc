/**
 * A request the investigations service refuses. `message` is English (the API's problem detail); `code` and
 * `params`, where set, let a page say the same in its own language. 404: the case (exhibit, examination) does not
 * exist for this person, whether or not it exists at all; 403: they can see it but this action is not theirs.
 */
export class CaseError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
    readonly field?: string,
    readonly code?: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}
