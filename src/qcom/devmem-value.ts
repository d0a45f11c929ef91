// qcom,devmem as stored in a tree: bytes plus the markers that say how the source wrote
// them. A DTB only has the bytes; DTS input also tells us when a row was written with
// /bits/ 64 (or 8/16), a string or a byte string, none of which is a u32 cell.
import type { Property } from '../tree/model.js';
import type { ValueType } from '../tree/value.js';
import { cellsOf } from '../tree/value.js';
import type { DevmemProblem, DevmemRow, RowCell } from './devmem.js';
import { DEVMEM_CELLS_PER_ROW, DEVMEM_PROPERTY, cellCountProblem, rowsFromCells } from './devmem.js';

const ROW_BYTES = DEVMEM_CELLS_PER_ROW * 4;

function writtenAs(type: ValueType): string {
  switch (type) {
    case 'u8': return 'with /bits/ 8';
    case 'u16': return 'with /bits/ 16';
    case 'u64': return 'with /bits/ 64';
    case 'string': return 'as a string';
    default: return 'as a byte string';
  }
}

/** Runs of the value written as something other than 32-bit cells. */
function nonCellRuns(prop: Property): Array<{ offset: number; type: ValueType }> {
  const runs: Array<{ offset: number; type: ValueType }> = [];
  const types = prop.value.markers.filter((m) => m.kind === 'type');
  types.forEach((m, i) => {
    if (m.kind !== 'type' || m.type === 'u32') return;
    const next = types[i + 1];
    const end = next ? next.offset : prop.value.bytes.length;
    if (end > m.offset) runs.push({ offset: m.offset, type: m.type });
  });
  return runs;
}

/** Everything wrong with the shape of a qcom,devmem value (empty means rows can be read). */
export function devmemFormatProblems(prop: Property): DevmemProblem[] {
  const out: DevmemProblem[] = [];
  for (const run of nonCellRuns(prop)) {
    const row = Math.floor(run.offset / ROW_BYTES);
    const cell = Math.floor((run.offset % ROW_BYTES) / 4) as RowCell;
    out.push({
      rule: 'qcom_devmem_format', row, cell,
      message: `row ${row} is written ${writtenAs(run.type)}; every ${DEVMEM_PROPERTY} value is a 32-bit cell`,
    });
  }
  const len = prop.value.bytes.length;
  if (len % 4 !== 0) {
    out.push({ rule: 'qcom_devmem_format', message: `${DEVMEM_PROPERTY} is ${len} bytes long, not a whole number of 32-bit cells` });
  } else {
    const p = cellCountProblem(len / 4);
    if (p) out.push(p);
  }
  return out;
}

/** The rows, or undefined when the value is malformed (see devmemFormatProblems). */
export function devmemRowsOf(prop: Property): DevmemRow[] | undefined {
  if (devmemFormatProblems(prop).length) return undefined;
  const cells = cellsOf(prop.value);
  return cells && rowsFromCells(cells);
}
