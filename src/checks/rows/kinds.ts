// Row factories for dtc's "property X must be a string / string list / one cell" rows.
import type { Check, CheckLevel } from '../types.js';
import { isOneString, isStringList } from '../values.js';

export const NOT_A_STRING = 'property is not a string';
export const NOT_A_STRING_LIST = 'property is not a string list';
export const NOT_A_CELL = 'property is not a single cell';

export function stringRow(id: string, propName: string, level: CheckLevel = 'warning'): Check {
  return {
    id,
    level,
    property: propName,
    description: `"${propName}" must be one string`,
    node(ctx, node) {
      const p = node.getProperty(propName);
      if (p && !isOneString(p.value)) ctx.report(node, NOT_A_STRING, { property: p });
    },
  };
}

export function stringListRow(id: string, propName: string, level: CheckLevel = 'warning'): Check {
  return {
    id,
    level,
    property: propName,
    description: `"${propName}" must be a list of strings`,
    node(ctx, node) {
      const p = node.getProperty(propName);
      if (p && !isStringList(p.value)) ctx.report(node, NOT_A_STRING_LIST, { property: p });
    },
  };
}

export function cellRow(id: string, propName: string, level: CheckLevel = 'warning'): Check {
  return {
    id,
    level,
    property: propName,
    description: `"${propName}" must be one 32-bit cell`,
    node(ctx, node) {
      const p = node.getProperty(propName);
      if (p && p.value.bytes.length !== 4) ctx.report(node, NOT_A_CELL, { property: p });
    },
  };
}
