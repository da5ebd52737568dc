/**
 * Why a staff member reads something over the API: the `X-Access-Reason` header, or `?reason=` for a reason a
 * header cannot carry. Header bytes are Latin-1, so a UTF-8 header (Welsh: ŵ, ŷ) would be stored as mojibake; it
 * is refused with 422 telling the client to send `?reason=` instead, which is UTF-8 by definition.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cleanAccessReason, isAsciiHeader } from '../../../domain/access/access-reason.ts';
import { sendProblem } from '../../plugins/errors.ts';

export const ACCESS_REASON_HEADER = 'x-access-reason';
/** The longest reason the report and indicator APIs take (the evidence API takes its own, longer). */
export const MAX_API_REASON_CHARS = 500;

/** The header and query parameter a route reading with a reason declares (same limit on both). */
export function accessReasonSchema(maxLength: number) {
  return {
    headers: Type.Object({ [ACCESS_REASON_HEADER]: Type.Optional(Type.String({ maxLength })) }),
    querystring: Type.Object({
      reason: Type.Optional(
        Type.String({
          maxLength,
          description: 'Why, when the X-Access-Reason header cannot carry it (not ASCII: Welsh, for example)',
        }),
      ),
    }),
  };
}

export interface RefusedReason {
  code: string;
  /** The header or query parameter to name. */
  field: string;
  message: string;
}

export type AccessReason = { ok: true; reason: string } | ({ ok: false } & RefusedReason);

/** A UTF-8 header would be stored as Latin-1 mojibake: refused, pointing at `?reason=`. */
export function headerNotAscii(request: FastifyRequest): RefusedReason | null {
  const header = request.headers[ACCESS_REASON_HEADER];
  return typeof header === 'string' && !isAsciiHeader(header)
    ? {
        code: 'access-reason-header-not-ascii',
        field: 'X-Access-Reason',
        message:
          'The X-Access-Reason header must be ASCII (header bytes are read as Latin-1): send a reason with other characters in the reason query parameter, as percent-encoded UTF-8',
      }
    : null;
}

/**
 * The reason as given, header first (one blank once cleaned counts as none), cleaned of control and invisible
 * characters. Refused when the header is not ASCII, or `?reason=` is given but holds nothing once cleaned. None
 * given is ''.
 */
export function accessReasonOf(request: FastifyRequest): AccessReason {
  const notAscii = headerNotAscii(request);
  if (notAscii !== null) return { ok: false, ...notAscii };
  const header = request.headers[ACCESS_REASON_HEADER];
  const fromHeader = typeof header === 'string' ? cleanAccessReason(header) : '';
  if (fromHeader !== '') return { ok: true, reason: fromHeader };
  const query = (request.query as { reason?: unknown } | undefined)?.reason;
  if (typeof query !== 'string') return { ok: true, reason: '' };
  const reason = cleanAccessReason(query);
  if (reason === '')
    return {
      ok: false,
      code: 'access-reason-empty',
      field: 'reason',
      message: 'Give the reason in words: the reason query parameter holds no text',
    };
  return { ok: true, reason };
}

/** A refused reason as problem+json naming the header or parameter. */
export function sendReasonProblem(reply: FastifyReply, refused: RefusedReason): FastifyReply {
  return sendProblem(
    reply,
    422,
    'Unprocessable Content',
    refused.message,
    [{ name: refused.field, message: refused.message }],
    refused.code,
  );
}
