/** What the supplier pages share: reading a form's text, ids and money, and the pages' paths. */
import type { FastifyReply } from 'fastify';
import { rowId } from '../../../domain/row-id.ts';

export const STAFF_SUPPLIERS = '/staff/suppliers';
export const STAFF_TASKINGS = '/staff/suppliers/taskings';
export const PORTAL_TASKINGS = '/partner/taskings';

export const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
export const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
export { penceOf } from '../../../domain/money.ts';

export { rowId as idOf };
