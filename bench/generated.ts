// Generated hostile-size inputs for the bench's `generated` step: each must compile in
// seconds with bounded memory (dtc 1.6.1 takes ~30 s on the 8 MB string, minutes on
// 150,000 properties in one node, and stops at ~3,300 nesting levels).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GeneratedInput {
  name: string;
  file: string;
  /** seconds the compile may take (the target) */
  budget: number;
}

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, 'latin1');
  return file;
}

export function generatedInputs(dir: string): GeneratedInput[] {
  const nodes = ['/dts-v1/;', '/ {', '\t#address-cells = <1>;', '\t#size-cells = <0>;'];
  for (let i = 0; i < 150_000; i++) nodes.push(`\tn${i}: node@${i.toString(16)} { reg = <${i}>; };`);
  nodes.push('};');
  const props = ['/dts-v1/;', '/ {'];
  for (let i = 0; i < 150_000; i++) props.push(`\tp${i} = <${i}>;`);
  props.push('};');
  const labels = ['/dts-v1/;', '/ {', '\tl0: n { };', '};'];
  for (let i = 1; i < 150_000; i++) labels.push(`l${i}: &l0 { };`);
  const cells = Array.from({ length: 2_000_000 }, (_, i) => `0x${(i * 2654435761 >>> 0).toString(16)}`).join(' ');
  const depth = 10_000;
  return [
    { name: '150,000 nodes with labels', file: write(dir, 'nodes.dts', nodes.join('\n')), budget: 10 },
    { name: '150,000 properties in one node', file: write(dir, 'props.dts', props.join('\n')), budget: 10 },
    { name: '150,000 labels on one node', file: write(dir, 'labels.dts', labels.join('\n')), budget: 10 },
    { name: 'a 2,000,000-cell property', file: write(dir, 'cells.dts', `/dts-v1/;\n/ {\n\tp = <${cells}>;\n};\n`), budget: 10 },
    { name: 'an 8 MB string', file: write(dir, 'string.dts', `/dts-v1/;\n/ {\n\ts = "${'a'.repeat(8 << 20)}";\n};\n`), budget: 10 },
    { name: 'an 11 MB byte string', file: write(dir, 'bytes.dts', `/dts-v1/;\n/ {\n\tb = [${'5a'.repeat(5_500_000)}];\n};\n`), budget: 10 },
    { name: `${depth.toLocaleString('en')} levels of nesting`, file: write(dir, 'deep.dts', `/dts-v1/;\n/ {\n${'n {\n'.repeat(depth)}${'};\n'.repeat(depth)}};\n`), budget: 10 },
  ];
}
