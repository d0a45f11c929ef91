// Bad (and good) variants of the real lemans PAS nodes: each bad one yields exactly the
// intended qcom finding (rule, message, line, column), each good one none.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QcomRunOptions } from './support.js';
import { KVM_SHARED_STREAM } from '../../src/qcom/checks.js';
import { markerPosition, runQcom, scratchDir, templateFile, writeVariant } from './support.js';

interface Expected {
  rule: string;
  /** `/*@name*\/` marker in the variant (or the template) the finding points right after */
  at: string;
  message: string;
  /** marker of a note's location, when the finding has one */
  noteAt?: string;
  /** the messages of the notes after the first */
  moreNotes?: string[];
  /** when not the rule's usual one (WARNING_RULES) */
  severity?: 'error' | 'warning';
}

interface Variant {
  name: string;
  body: string;
  options?: QcomRunOptions;
  expect: Expected[];
}

/** Rows whose findings are warnings; every other qcom row reports errors. */
const WARNING_RULES = new Set(['qcom_devmem_ignored', 'qcom_sid_conflict']);
const ADSP_STREAM = 'iommus = <&apps_smmu 0x3000 0x0>;';
/** The ADSP with its EL2 stream and the given qcom,devmem text. */
const adsp = (devmem: string) => `&remoteproc_adsp {\n\t${ADSP_STREAM}\n\t${devmem}\n};`;
const SMMU = '/soc@0/iommu@15000000 (&apps_smmu)';
const FORMAT_TAIL = 'expected a non-zero multiple of 4 (device address, physical address, size, flags per row)';
const FLAGS_OUTSIDE = 'set bits outside READ|WRITE|CACHE|NOEXEC|MMIO (0x1f)';
const PAS_OWN = 'a PAS remote processor needs a stream of its own';
const CB3 = '/soc@0/remoteproc@30000000/glink-edge/fastrpc/compute-cb@3';
/** The ADSP given, in the EL2 overlay's place, the stream of its own fastrpc context bank 3. */
const PAS_VS_CB = '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3003 0x0>;\n\tstatus = "okay";\n};';

const bad: Variant[] = [
  // qcom_devmem_format
  { name: 'cells-6', body: adsp('/*@p*/qcom,devmem = <0x110000 0x110000 0x1000 0x1 0x2000 0x2000>;'),
    expect: [{ rule: 'qcom_devmem_format', at: 'p', message: `qcom,devmem has 6 cells; ${FORMAT_TAIL}` }] },
  { name: 'cells-3', body: adsp('/*@p*/qcom,devmem = <0x110000 0x110000 0x1000>;'),
    expect: [{ rule: 'qcom_devmem_format', at: 'p', message: `qcom,devmem has 3 cells; ${FORMAT_TAIL}` }] },
  { name: 'empty', body: adsp('/*@p*/qcom,devmem;'),
    expect: [{ rule: 'qcom_devmem_format', at: 'p', message: `qcom,devmem is empty; ${FORMAT_TAIL}` }] },
  { name: 'bits-64-overflow', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 0x1>, /bits/ 64 </*@r*/0x100000000 0x110000>;'),
    expect: [{ rule: 'qcom_devmem_format', at: 'r', message: 'row 1 is written with /bits/ 64; every qcom,devmem value is a 32-bit cell' }] },
  { name: 'bits-16', body: adsp('qcom,devmem = /bits/ 16 </*@r*/0x11 0 0x11 0 0x1000 0 0x1 0>;'),
    expect: [{ rule: 'qcom_devmem_format', at: 'r', message: 'row 0 is written with /bits/ 16; every qcom,devmem value is a 32-bit cell' }] },
  { name: 'byte-string', body: adsp('qcom,devmem = [/*@r*/00 11 00 00 00 11 00 00 00 00 10 00 00 00 00 01];'),
    expect: [{ rule: 'qcom_devmem_format', at: 'r', message: 'row 0 is written as a byte string; every qcom,devmem value is a 32-bit cell' }] },
  { name: 'partial-cell', body: adsp('/*@p*/qcom,devmem = <0x110000 0x110000 0x1000 0x1>, [/*@r*/00 01];'),
    expect: [
      { rule: 'qcom_devmem_format', at: 'p', message: 'qcom,devmem is 18 bytes long, not a whole number of 32-bit cells' },
      { rule: 'qcom_devmem_format', at: 'r', message: 'row 1 is written as a byte string; every qcom,devmem value is a 32-bit cell' },
    ] },
  // qcom_devmem_flags
  { name: 'flags-zero', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 /*@f*/0x0>;'),
    expect: [{ rule: 'qcom_devmem_flags', at: 'f', message: 'row 0: flags are 0; a mapping needs at least one of READ, WRITE, CACHE, NOEXEC, MMIO' }] },
  { name: 'flags-priv', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 /*@f*/0x21>;'),
    expect: [{ rule: 'qcom_devmem_flags', at: 'f', message: `row 0: flags 0x21 ${FLAGS_OUTSIDE}: 0x20 (IOMMU_PRIV)` }] },
  { name: 'flags-high-bits', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 QCOM_DEVMEM_READ>,\n\t\t<0x120000 0x120000 0x1000 /*@f*/0x80000043>;'),
    expect: [{ rule: 'qcom_devmem_flags', at: 'f', message: `row 1: flags 0x80000043 ${FLAGS_OUTSIDE}: 0x40, 0x80000000` }] },
  // qcom_devmem_alignment
  { name: 'da-misaligned', body: adsp('qcom,devmem = </*@c*/0x110800 0x110000 0x1000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: device address 0x110800 is not a multiple of the 4 KiB IOMMU page (off by 0x800)' }] },
  { name: 'pa-misaligned', body: adsp('qcom,devmem = <0x110000 /*@c*/0x110010 0x1000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: physical address 0x110010 is not a multiple of the 4 KiB IOMMU page (off by 0x10)' }] },
  { name: 'size-misaligned', body: adsp('qcom,devmem = <0x110000 0x110000 /*@c*/0x1800 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: size 0x1800 is not a multiple of the 4 KiB IOMMU page (off by 0x800)' }] },
  { name: 'size-zero', body: adsp('qcom,devmem = <0x110000 0x110000 /*@c*/0 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: size is 0' }] },
  { name: 'da-past-4g', body: adsp('qcom,devmem = </*@c*/0xfffff000 0x110000 0x2000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: device range 0xfffff000 + size 0x2000 ends at 0x100001000, past the 32-bit address space' }] },
  { name: 'pa-past-4g', body: adsp('qcom,devmem = <0x110000 /*@c*/0xffffe000 0x4000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: physical range 0xffffe000 + size 0x4000 ends at 0x100002000, past the 32-bit address space' }] },
  { name: 'page-64k', options: { iommuPageSize: 65536 }, body: adsp('qcom,devmem = <0x110000 0x110000 /*@c*/0x11000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_alignment', at: 'c', message: 'row 0: size 0x11000 is not a multiple of the 64 KiB IOMMU page (off by 0x1000)' }] },
  // qcom_devmem_overlap
  { name: 'da-overlap', body: adsp('qcom,devmem = </*@o*/0x110000 0x110000 0x4000 0x1>,\n\t\t</*@c*/0x112000 0x200000 0x1000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_overlap', at: 'c', noteAt: 'o', message: 'row 1: device addresses 0x112000-0x112fff overlap row 0 (0x110000-0x113fff)' }] },
  { name: 'duplicate-row', body: adsp('qcom,devmem = </*@o*/0x110000 0x110000 0x1000 0x1>,\n\t\t</*@c*/0x110000 0x110000 0x1000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_overlap', at: 'c', noteAt: 'o', message: 'row 1: device addresses 0x110000-0x110fff overlap row 0 (0x110000-0x110fff)' }] },
  { name: 'pa-conflicting-flags', body: adsp('qcom,devmem = <0x110000 /*@o*/0x300000 0x1000 0x1>,\n\t\t<0x120000 /*@c*/0x300000 0x1000 0x3>;'),
    expect: [{ rule: 'qcom_devmem_overlap', at: 'c', noteAt: 'o', message: 'row 1: physical range 0x300000-0x300fff is also mapped by row 0 with different flags (READ|WRITE vs READ)' }] },
  { name: 'carveout-overlap', body: adsp('qcom,devmem = </*@c*/0x96000000 0x110000 0x1000 0x1>;'),
    expect: [{ rule: 'qcom_devmem_overlap', at: 'c', message: 'row 0: device addresses 0x96000000-0x96000fff overlap the carveout memory-region[0] (/reserved-memory/pil-adsp@95900000), mapped at IOVA 0x95900000-0x976fffff' }] },
  // qcom_pas_iommus
  { name: 'two-specifiers', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000 0x0>, <&apps_smmu 0x3001 0x0>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: 'iommus has 2 specifiers; a PAS remote processor takes exactly one (the driver uses the first stream ID only)' }] },
  { name: 'cell-short', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: `iommus has 1 cell after the phandle of ${SMMU}, which has #iommu-cells = <2>` }] },
  { name: 'dangling-phandle', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <0xdead 0x3000 0x0>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: 'iommus cell 0: phandle 0xdead does not point at any node' }] },
  { name: 'not-an-iommu', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <&pil_adsp_mem 0x3000 0x0>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: 'iommus cell 0: /reserved-memory/pil-adsp@95900000 (&pil_adsp_mem) has no #iommu-cells, so it is not an IOMMU' }] },
  { name: 'sid-17-bits', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x13000 0x0>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: `stream ID 0x13000 does not fit in 16 bits (${SMMU} is an arm,mmu-500)` }] },
  { name: 'mask-17-bits', body: '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000 0x10000>;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: `SMR mask 0x10000 does not fit in 16 bits (${SMMU} is an arm,mmu-500)` }] },
  { name: 'empty-iommus', body: '&remoteproc_adsp {\n\t/*@p*/iommus;\n};',
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: "iommus must be a phandle followed by the IOMMU's #iommu-cells cells (it is 0 bytes long)" }] },
  { name: 'require-devmem', options: { requireDevmem: true }, body: `&remoteproc_adsp {\n\t/*@p*/${ADSP_STREAM}\n};`,
    expect: [{ rule: 'qcom_pas_iommus', at: 'p', message: 'iommus without qcom,devmem: the proposed driver refuses to probe a remote processor whose device memory is not described' }] },
  // qcom_devmem_ignored
  { name: 'devmem-without-iommus', body: '&remoteproc_adsp {\n\t/*@p*/qcom,devmem = <0x110000 0x110000 0x1000 0x1>;\n};',
    expect: [{ rule: 'qcom_devmem_ignored', at: 'p', message: 'qcom,devmem without iommus is ignored: the driver maps device memory only for a remote processor with an IOMMU stream' }] },
  { name: 'devmem-on-non-pas', body: '&apps_smmu {\n\t/*@p*/qcom,devmem = <0x110000 0x110000 0x1000 0x1>;\n};',
    expect: [{ rule: 'qcom_devmem_ignored', at: 'p', message: 'qcom,devmem on a node that is not a Qualcomm PAS remote processor (compatible "qcom,*-pas"); nothing reads it' }] },
  // qcom_sid_conflict
  { name: 'two-pas-one-stream',
    body: '&remoteproc_cdsp0 {\n\t/*@o*/iommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};\n\n&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};',
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'o', message: `stream 0x3000/0x0 on ${SMMU} overlaps stream 0x3000/0x0 of /soc@0/remoteproc@26300000: ${PAS_OWN}` }] },
  { name: 'mask-covers-other-pas',
    body: '&remoteproc_cdsp0 {\n\t/*@o*/iommus = <&apps_smmu 0x21c0 0x400>;\n\tstatus = "okay";\n};\n\n&remoteproc_cdsp1 {\n\t/*@p*/iommus = <&apps_smmu 0x25c0 0x0>;\n\tstatus = "okay";\n};',
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'o', message: `stream 0x25c0/0x0 on ${SMMU} overlaps stream 0x21c0/0x400 of /soc@0/remoteproc@26300000: ${PAS_OWN}` }] },
  { name: 'two-pas-one-stream-kvm', options: { policy: 'kvm' },
    body: '&remoteproc_cdsp0 {\n\t/*@o*/iommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};\n\n&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};',
    expect: [{ rule: 'qcom_sid_conflict', severity: 'error', at: 'p', noteAt: 'o', moreNotes: [KVM_SHARED_STREAM], message: `stream 0x3000/0x0 on ${SMMU} overlaps stream 0x3000/0x0 of /soc@0/remoteproc@26300000: ${PAS_OWN}` }] },
  // the ADSP's firmware stream given to its own fastrpc context bank: reported at the PAS
  // node's iommus (the line the KVM overlay adds), the context bank as the note
  { name: 'pas-vs-context-bank', body: PAS_VS_CB,
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'cb3', message: `stream 0x3003/0x0 on ${SMMU} overlaps stream 0x3003/0x0 of ${CB3}: ${PAS_OWN}` }] },
  { name: 'pas-vs-context-bank-kvm', options: { policy: 'kvm' }, body: PAS_VS_CB,
    expect: [{ rule: 'qcom_sid_conflict', severity: 'error', at: 'p', noteAt: 'cb3', moreNotes: [KVM_SHARED_STREAM], message: `stream 0x3003/0x0 on ${SMMU} overlaps stream 0x3003/0x0 of ${CB3}: ${PAS_OWN}` }] },
  { name: 'pas-vs-context-bank-kvm-W', options: { policy: 'kvm', levels: new Map([['qcom_sid_conflict', 'warning']]) }, body: PAS_VS_CB,
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'cb3', moreNotes: [KVM_SHARED_STREAM], message: `stream 0x3003/0x0 on ${SMMU} overlaps stream 0x3003/0x0 of ${CB3}: ${PAS_OWN}` }] },
  { name: 'pas-vs-context-bank-qhee', options: { policy: 'qhee' }, body: PAS_VS_CB,
    expect: [
      { rule: 'qcom_sid_conflict', at: 'p', noteAt: 'cb3', message: `stream 0x3003/0x0 on ${SMMU} overlaps stream 0x3003/0x0 of ${CB3}: ${PAS_OWN}` },
      { rule: 'qcom_pas_host', at: 'p', message: 'iommus on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add iommus only in the KVM (EL2) overlay' },
    ] },
  // the other order in the tree: a context bank of an earlier DSP given the ADSP's stream
  { name: 'context-bank-before-pas',
    body: '&remoteproc_gpdsp0 {\n\tstatus = "okay";\n\n\tglink-edge {\n\t\tfastrpc {\n\t\t\tcompatible = "qcom,fastrpc";\n' +
      '\t\t\t#address-cells = <1>;\n\t\t\t#size-cells = <0>;\n\n\t\t\tcompute-cb@1 {\n\t\t\t\tcompatible = "qcom,fastrpc-compute-cb";\n' +
      '\t\t\t\treg = <1>;\n\t\t\t\t/*@o*/iommus = <&apps_smmu 0x3000 0x0>;\n\t\t\t};\n\t\t};\n\t};\n};\n\n' +
      '&remoteproc_adsp {\n\t/*@p*/iommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};',
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'o', message: `stream 0x3000/0x0 on ${SMMU} overlaps stream 0x3000/0x0 of /soc@0/remoteproc@20c00000/glink-edge/fastrpc/compute-cb@1: ${PAS_OWN}` }] },
  { name: 'partial-overlap-non-pas',
    body: '&soc {\n\tdma@1dc4000 {\n\t\treg = <0x0 0x01dc4000 0x0 0x28000>;\n\t\t/*@o*/iommus = <&apps_smmu 0x480 0x0>;\n\t};\n\n\tcrypto@1dfa000 {\n\t\treg = <0x0 0x01dfa000 0x0 0x6000>;\n\t\t/*@p*/iommus = <&apps_smmu 0x480 0x1>;\n\t};\n};',
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'o', message: `stream 0x480/0x1 on ${SMMU} overlaps stream 0x480/0x0 of /soc@0/dma@1dc4000: the sets overlap without being equal, so the arm-smmu driver refuses one of them` }] },
  { name: 'partial-overlap-non-pas-kvm', options: { policy: 'kvm' },
    body: '&soc {\n\tdma@1dc4000 {\n\t\treg = <0x0 0x01dc4000 0x0 0x28000>;\n\t\t/*@o*/iommus = <&apps_smmu 0x480 0x0>;\n\t};\n\n\tcrypto@1dfa000 {\n\t\treg = <0x0 0x01dfa000 0x0 0x6000>;\n\t\t/*@p*/iommus = <&apps_smmu 0x480 0x1>;\n\t};\n};',
    expect: [{ rule: 'qcom_sid_conflict', at: 'p', noteAt: 'o', message: `stream 0x480/0x1 on ${SMMU} overlaps stream 0x480/0x0 of /soc@0/dma@1dc4000: the sets overlap without being equal, so the arm-smmu driver refuses one of them` }] },
  // qcom_pas_host
  { name: 'qhee-iommus', options: { policy: 'qhee' }, body: `&remoteproc_adsp {\n\t/*@p*/${ADSP_STREAM}\n};`,
    expect: [{ rule: 'qcom_pas_host', at: 'p', message: 'iommus on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add iommus only in the KVM (EL2) overlay' }] },
  { name: 'qhee-iommus-and-devmem', options: { policy: 'qhee' },
    body: `&remoteproc_adsp {\n\t/*@p*/${ADSP_STREAM}\n\t/*@q*/qcom,devmem = <0x110000 0x110000 0x1000 0x1>;\n};`,
    expect: [
      { rule: 'qcom_pas_host', at: 'p', message: 'iommus on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add iommus only in the KVM (EL2) overlay' },
      { rule: 'qcom_pas_host', at: 'q', message: 'qcom,devmem on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add qcom,devmem only in the KVM (EL2) overlay' },
    ] },
  { name: 'kvm-missing-iommus', options: { policy: 'kvm' },
    body: `&remoteproc_adsp {\n\t${ADSP_STREAM}\n\tstatus = "okay";\n};\n\n&remoteproc_cdsp0 {\n\t/*@s*/status = "okay";\n};`,
    expect: [{ rule: 'qcom_pas_host', at: 'cdsp0', noteAt: 's', message: 'enabled PAS remote processor without iommus on a KVM host: nobody maps its firmware carveout into its IOMMU stream (the EL2 overlay must add iommus)' }] },
];

const EL2_STREAMS = [
  ['adsp', '0x3000 0x0'], ['cdsp0', '0x21c0 0x0400'], ['cdsp1', '0x29c0 0x0400'], ['gpdsp0', '0x38a0 0x0'], ['gpdsp1', '0x38c0 0x0'],
].map(([n, s]) => `&remoteproc_${n} {\n\tiommus = <&apps_smmu ${s}>;\n\tstatus = "okay";\n};`).join('\n\n');

const good: Variant[] = [
  { name: 'all-flags', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 (QCOM_DEVMEM_READ | QCOM_DEVMEM_WRITE | QCOM_DEVMEM_CACHE | QCOM_DEVMEM_NOEXEC | QCOM_DEVMEM_MMIO)>;'), expect: [] },
  { name: 'page-64k-aligned', options: { iommuPageSize: 65536 }, body: adsp('qcom,devmem = <0x110000 0x110000 0x10000 0x1>;'), expect: [] },
  { name: 'pa-alias-same-flags', body: adsp('qcom,devmem = <0x110000 0x300000 0x1000 0x1>,\n\t\t<0x120000 0x300000 0x1000 0x1>;'), expect: [] },
  { name: 'adjacent-rows', body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 0x1>,\n\t\t<0x111000 0x111000 0x1000 0x3>;'), expect: [] },
  { name: 'ends-at-4g', body: adsp('qcom,devmem = <0xfffff000 0xfffff000 0x1000 0x1>;'), expect: [] },
  { name: 'require-devmem-met', options: { requireDevmem: true }, body: adsp('qcom,devmem = <0x110000 0x110000 0x1000 0x1>;'), expect: [] },
  { name: 'identical-non-pas-streams',
    body: '&soc {\n\tdma@1dc4000 {\n\t\treg = <0x0 0x01dc4000 0x0 0x28000>;\n\t\tiommus = <&apps_smmu 0x480 0x0>;\n\t};\n\n\tcrypto@1dfa000 {\n\t\treg = <0x0 0x01dfa000 0x0 0x6000>;\n\t\tiommus = <&apps_smmu 0x480 0x0>;\n\t};\n};', expect: [] },
  { name: 'shared-with-disabled', body: '&remoteproc_cdsp0 {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n};\n\n&remoteproc_adsp {\n\tiommus = <&apps_smmu 0x3000 0x0>;\n\tstatus = "okay";\n};', expect: [] },
  { name: 'el2-streams-kvm', options: { policy: 'kvm' }, body: EL2_STREAMS, expect: [] },
  { name: 'pas-vs-context-bank-kvm-switched-off', options: { policy: 'kvm', levels: new Map([['qcom_sid_conflict', 'off']]) }, body: PAS_VS_CB, expect: [] },
  { name: 'kvm-disabled-pas', options: { policy: 'kvm' }, body: '', expect: [] },
  { name: 'qhee-base', options: { policy: 'qhee' }, body: '&remoteproc_adsp {\n\tstatus = "okay";\n};', expect: [] },
];

describe('qcom check rows on lemans variants', () => {
  const dir = scratchDir('variants');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const templateText = fs.readFileSync(templateFile, 'latin1');

  test(`at least 30 bad variants (${bad.length}) and the good ones`, () => {
    assert.ok(bad.length >= 30);
    assert.ok(good.length >= 10);
  });

  test('a row written in an overlay is located in the overlay source', () => {
    const { file: base } = writeVariant(dir, 'overlay-base', '');
    const overlay = path.join(dir, 'adsp-devmem.dtso');
    const text = '/dts-v1/;\n/plugin/;\n\n#include <dt-bindings/iommu/qcom,devmem.h>\n\n&remoteproc_adsp {\n' +
      '\tiommus = <&apps_smmu 0x3000 0x0>;\n\tqcom,devmem = <0x110000 0x110000 0x1000 QCOM_DEVMEM_READ>,\n\t\t<0x120000 0x120000 0x1000 /*@f*/0x0>;\n\tstatus = "okay";\n};\n';
    fs.writeFileSync(overlay, text);
    const { findings } = runQcom(base, { policy: 'kvm' }, [overlay]);
    const at = markerPosition(overlay, text, 'f')!;
    assert.deepEqual(findings.map((d) => [d.rule, d.node, d.span?.file, d.span?.line, d.span?.column]), [
      ['qcom_devmem_flags', '/soc@0/remoteproc@30000000', overlay, at.line, at.column],
    ]);
  });

  for (const v of [...bad, ...good]) {
    test(`${v.expect.length ? 'bad' : 'good'}: ${v.name}`, () => {
      const { file, text } = writeVariant(dir, v.name, v.body);
      const where = (name: string) => {
        const p = markerPosition(file, text, name) ?? markerPosition(templateFile, templateText, name);
        assert.ok(p, `marker ${name} is in the fixture`);
        return p;
      };
      const { findings } = runQcom(file, v.options);
      const got = findings.map((d) => ({
        rule: d.rule, severity: d.severity, message: d.message, file: d.span?.file, line: d.span?.line, column: d.span?.column,
        note: d.notes?.[0]?.span && { file: d.notes[0].span.file, line: d.notes[0].span.line, column: d.notes[0].span.column },
        moreNotes: d.notes?.slice(1).map((n) => n.message) ?? [],
      })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
      const want = v.expect.map((e) => {
        const p = where(e.at);
        const n = e.noteAt ? where(e.noteAt) : undefined;
        return {
          rule: e.rule, severity: e.severity ?? (WARNING_RULES.has(e.rule) ? 'warning' : 'error'), message: e.message, file: p.file, line: p.line, column: p.column,
          note: n && { file: n.file, line: n.line, column: n.column }, moreNotes: e.moreNotes ?? [],
        };
      }).sort((a, b) => a.line - b.line || a.column - b.column);
      assert.deepEqual(got, want);
    });
  }
});
