// The JSON schema of a KVM overlay profile (YAML). Shipped as data, validated with ajv;
// `hint` is dtkit's own keyword: the message shown instead of ajv's generic one when
// the value at that place is wrong.

const compatibleString = {
  type: 'string',
  pattern: '^[A-Za-z0-9*?][A-Za-z0-9.,+_*?-]*,[A-Za-z0-9.,+_*?-]+$',
  hint: 'must be a compatible string "vendor,device" (quote it inside [ ... ]: a bare comma splits flow lists)',
};

const label = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  hint: 'must be a label (letters, digits, underscores; no leading &)',
};

const nodePath = {
  type: 'string',
  pattern: '^/([A-Za-z0-9,._+*#?@-]+(/[A-Za-z0-9,._+*#?@-]+)*)?$',
  hint: 'must be an absolute node path such as /soc@0/remoteproc@30000000',
};

const u32 = { type: 'integer', minimum: 0, maximum: 0xffffffff, hint: 'must be an unsigned 32-bit number' };

/** `16K`, `1M`, `0x4000` or a plain number (read with qcom/format's parseSize). */
const size = {
  anyOf: [u32, { type: 'string', pattern: '^\\s*(0[xX][0-9a-fA-F]+|[0-9]+)\\s*([kKmMgG](i?[bB])?|[bB])?\\s*$' }],
  hint: 'must be a size: a number, or a number with K, M or G (4K, 0x10K, 2M)',
};

const cell = {
  anyOf: [u32, { type: 'string', pattern: '^&([A-Za-z_][A-Za-z0-9_]*|\\{/[A-Za-z0-9,._+*#?@/-]*\\})$' }],
  hint: 'must be a 32-bit number or a phandle reference "&label"',
};

const propertyValue = {
  anyOf: [
    { type: 'string' },
    { const: true },
    { type: 'array', minItems: 1, items: { type: 'string' } },
    { type: 'array', minItems: 1, items: cell },
    { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: cell } },
  ],
  hint: 'must be a string, a list of strings, true (an empty property), a list of cells (numbers and "&label"s) or a list of such lists',
};

const status = { enum: ['okay', 'disabled', 'reserved', 'fail'], hint: 'must be okay, disabled, reserved or fail' };

/** Edits shared by a target node and the child nodes added under it. */
const nodeEditBody = {
  comment: { type: 'string' },
  status,
  set: { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9,._+#?-]+$' }, additionalProperties: propertyValue },
  delete: { type: 'array', items: { type: 'string' } },
  children: { type: 'array', items: { $ref: '#/definitions/child' } },
};

const targetKeys = {
  label,
  path: nodePath,
  compatible: compatibleString,
};

export const profileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://dtkit.dev/schemas/kvm-profile.json',
  title: 'dtkit KVM overlay profile',
  type: 'object',
  required: ['base'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', hint: 'must be a simple name (letters, digits, . _ -)' },
    description: { type: 'string' },
    base: {
      type: 'object',
      required: ['compatible'],
      additionalProperties: false,
      properties: {
        compatible: { type: 'array', minItems: 1, items: compatibleString },
      },
    },
    remoteprocs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['smmu', 'sid'],
        anyOf: [{ required: ['label'] }, { required: ['path'] }, { required: ['compatible'] }],
        hint: 'needs label, path or compatible to say which remoteproc it is',
        additionalProperties: false,
        properties: {
          ...targetKeys,
          comment: { type: 'string' },
          smmu: label,
          sid: { type: 'integer', minimum: 0, maximum: 0xffff, hint: 'must be a 16-bit stream ID (0 .. 0xffff)' },
          mask: { type: 'integer', minimum: 0, maximum: 0xffff, hint: 'must be a 16-bit SMR mask (0 .. 0xffff)' },
          devmem: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['da', 'size', 'flags'],
              additionalProperties: false,
              properties: {
                da: u32,
                pa: u32,
                size,
                flags: {
                  type: 'array',
                  minItems: 1,
                  uniqueItems: true,
                  items: { enum: ['read', 'write', 'cache', 'noexec', 'mmio'], hint: 'must be one of read, write, cache, noexec, mmio' },
                  hint: 'must be a list of flags from read, write, cache, noexec, mmio',
                },
              },
            },
          },
        },
      },
    },
    edits: {
      type: 'array',
      items: {
        type: 'object',
        anyOf: [{ required: ['label'] }, { required: ['path'] }, { required: ['compatible'] }],
        hint: 'needs label, path or compatible to say which node it edits',
        additionalProperties: false,
        properties: { ...targetKeys, ...nodeEditBody },
      },
    },
  },
  definitions: {
    child: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9,._+-]+(@[A-Za-z0-9,._+-]+)?$', hint: 'must be a node name such as video-firmware or cb@1' },
        ...nodeEditBody,
      },
    },
  },
} as const;
