import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { penceOf } from '../../domain/money.ts';
import { CAPABILITIES, VETTING_LEVELS } from '../../domain/suppliers/suppliers.ts';
import { services as buildServices } from '../../services/index.ts';
import type { FrameworkInput } from '../../services/suppliers/framework.ts';
import { ServiceError } from '../../services/service-error.ts';
import { CliError, cliActor, rowId, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight supplier add --partner <partner id> --rate <capability>=<£ per day> [--rate …]
           [--accreditation "<name>:<expiry YYYY-MM-DD>" …] [--staff "<name>:<vetting>:<expiry YYYY-MM-DD>" …]
       bluelight supplier change --partner <supplier id> (the same options: they replace its whole entry)
       bluelight supplier list
       bluelight supplier budget --unit <unit id> --year <YYYY-YY> --amount <£>
capabilities: ${CAPABILITIES.join(', ')}; vetting: ${VETTING_LEVELS.join(', ')}`;

const fail = (message: string) => new CliError(`${message}\n${USAGE}`);

function parse(
  args: string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
) {
  try {
    return parseArgs({ args, options, strict: true }).values as Record<
      string,
      string | string[] | boolean | undefined
    >;
  } catch (error) {
    throw fail((error as Error).message);
  }
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The options of supplier add and change: the whole framework entry (change replaces it with these). */
function frameworkInput(rest: string[]): FrameworkInput {
  const values = parse(rest, {
    partner: { type: 'string' },
    rate: { type: 'string', multiple: true },
    accreditation: { type: 'string', multiple: true },
    staff: { type: 'string', multiple: true },
  });
  const partnerId = rowId(values.partner);
  if (partnerId === null) throw fail('--partner must be a partner id');
  const rates = list(values.rate).map((raw) => {
    const [capability = '', amount = ''] = raw.split('=');
    const pence = penceOf(amount);
    if (pence === null) throw fail(`--rate "${raw}" must be <capability>=<pounds per day>`);
    return { capability: capability.trim(), dayRatePence: pence };
  });
  if (rates.length === 0) throw fail('give at least one --rate');
  const accreditations = list(values.accreditation).map((raw) => {
    const at = raw.lastIndexOf(':');
    return { name: raw.slice(0, Math.max(at, 0)).trim(), expiresOn: raw.slice(at + 1).trim() };
  });
  const staff = list(values.staff).map((raw) => {
    const parts = raw.split(':');
    if (parts.length !== 3) throw fail(`--staff "${raw}" must be "<name>:<vetting>:<expiry YYYY-MM-DD>"`);
    const [name = '', vettingLevel = '', vettingExpiresOn = ''] = parts.map((p) => p.trim());
    return { name, vettingLevel: vettingLevel.toLowerCase(), vettingExpiresOn };
  });
  return { partnerId, rates, accreditations, staff };
}

async function withServices<T>(io: CliIo, run: (container: ReturnType<typeof buildServices>) => Promise<T>) {
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    return await run(container);
  } catch (error) {
    if (error instanceof ServiceError) throw fail(error.message);
    throw error;
  } finally {
    await container.close();
  }
}

/**
 * bluelight supplier add: flags a partner (bluelight partner add) as a specialist supplier on the framework, with its
 * capabilities' day rates, accreditations and named staff's vetting; supplier change replaces that entry (the same
 * options, restated whole, so what is left out is taken off). supplier list: the framework as JSON lines.
 * supplier budget: a unit's supplier budget for a financial year (see docs/suppliers.md).
 */
export async function supplierCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add' || sub === 'change') {
    const input = frameworkInput(rest);
    if (sub === 'add') {
      const added = await withServices(io, (c) => c.suppliers.addSupplier(input, cliActor(io)));
      io.stdout(
        `${JSON.stringify({ id: added.id, name: added.name, capabilities: input.rates.map((r) => r.capability) })}\n`,
      );
    } else {
      const changed = await withServices(io, (c) => c.suppliers.changeSupplier(input, cliActor(io)));
      io.stdout(`${JSON.stringify(changed)}\n`);
    }
    return 0;
  }
  if (sub === 'list') {
    parse(rest, {});
    const suppliers = await withServices(io, (c) => c.suppliers.list());
    for (const s of suppliers) io.stdout(`${JSON.stringify(s)}\n`);
    return 0;
  }
  if (sub === 'budget') {
    const values = parse(rest, {
      unit: { type: 'string' },
      year: { type: 'string' },
      amount: { type: 'string' },
    });
    if (typeof values.unit !== 'string') throw fail('--unit is required');
    if (typeof values.year !== 'string') throw fail('--year is required (a financial year such as 2026-27)');
    const pence = typeof values.amount === 'string' ? penceOf(values.amount) : null;
    if (pence === null) throw fail('--amount must be pounds, such as 50000 or 50000.00');
    const unitId = values.unit;
    const financialYear = values.year;
    const done = await withServices(io, (c) =>
      c.suppliers.setBudget({ unitId, financialYear, budgetPence: pence }, cliActor(io)),
    );
    io.stdout(`${JSON.stringify({ unit: unitId, year: financialYear, budget_pence: pence, done })}\n`);
    return 0;
  }
  throw fail(`unknown supplier command "${sub ?? ''}"`);
}
