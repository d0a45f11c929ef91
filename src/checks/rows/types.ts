// Rows that only check a property's type: one cell, one string, a string list.
import type { Check } from '../types.js';
import { isStringList } from '../values.js';
import { NOT_A_STRING_LIST, cellRow, stringListRow, stringRow } from './kinds.js';

export const namesIsStringList: Check = {
  id: 'names_is_string_list',
  level: 'warning',
  description: '"*-names" properties are string lists',
  node(ctx, node) {
    for (const p of node.properties) {
      if (!p.deleted && p.name.endsWith('-names') && !isStringList(p.value)) ctx.report(node, NOT_A_STRING_LIST, { property: p });
    }
  },
};

export const typeRows: Check[] = [
  cellRow('address_cells_is_cell', '#address-cells'),
  cellRow('size_cells_is_cell', '#size-cells'),
  stringRow('device_type_is_string', 'device_type'),
  stringRow('model_is_string', 'model'),
  stringRow('status_is_string', 'status'),
  stringRow('label_is_string', 'label'),
  stringListRow('compatible_is_string_list', 'compatible'),
  namesIsStringList,
];
