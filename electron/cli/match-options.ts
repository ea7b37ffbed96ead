import type { MatchFilters } from '../contract';
import { UserError } from '../core/util/errors';
import { numberOption, type ParsedArgs } from './command';

const DATE = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** --from/--to/--near/--within as MatchFilters, with errors that name the option. */
export function filtersFromArgs(args: ParsedArgs): MatchFilters {
  const f: MatchFilters = {};
  for (const k of ['from', 'to'] as const) {
    const v = args.values[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !DATE.test(v)) throw new UserError(`--${k} must be a date like 2024-06-30, got '${String(v)}'`, 'usage');
    f[k] = v;
  }
  const near = args.values.near;
  if (near !== undefined) {
    const m = typeof near === 'string' ? /^\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*$/.exec(near) : null;
    const lat = m ? Number(m[1]) : NaN;
    const lon = m ? Number(m[2]) : NaN;
    if (!m || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) throw new UserError(`--near must be LAT,LON in degrees, got '${String(near)}'`, 'usage');
    if (args.values.within === undefined) throw new UserError('--near needs --within KM', 'usage');
    const km = numberOption(args, 'within', 0);
    if (km <= 0) throw new UserError('--within must be a positive number of kilometres', 'usage');
    f.near = { lat, lon, km };
  } else if (args.values.within !== undefined) throw new UserError('--within needs --near LAT,LON', 'usage');
  return f;
}
