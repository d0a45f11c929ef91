// A check finding in dtc's words, for output that users grep as they grep dtc's:
// `Warning (unit_address_vs_reg): /soc/foo@1000: node has a unit name, but no reg or
// ranges property` (dtc puts its own source position in front; dtkit's renderer has its own).
import type { Diagnostic } from '../report/diagnostic.js';

export function dtcCheckText(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'ERROR' : 'Warning';
  const where = d.node ? `${d.node}${d.property ? `:${d.property}` : ''}: ` : '';
  // dtc ends a few messages with a newline of its own; the line ends once here
  return `${level} (${d.rule}): ${where}${d.message.replace(/\n+$/, '')}`;
}
