// The whole table for linting (`dtkit validate`): dtc's rows, then dtkit's vendor rows.
// `dtkit compile` uses dtc's rows alone (table.ts), so it accepts exactly what dtc accepts.
import { qcomChecks } from '../qcom/checks.js';
import { dtcChecks } from './table.js';
import type { DtcVersion } from './table.js';
import type { Check } from './types.js';

/** dtkit's Qualcomm PAS/KVM rows (src/qcom/checks.ts). */
export function vendorChecks(): Check[] {
  return qcomChecks;
}

/** dtc's table (default: dtc 1.8.1's; a preset may name another) and the vendor rows. */
export function defaultChecks(version?: DtcVersion): Check[] {
  return [...dtcChecks(version), ...vendorChecks()];
}
