// Names and labels: duplicate nodes/properties/labels, allowed characters, node name form.
import type { Marker } from '../../tree/value.js';
import type { Node, Property } from '../../tree/model.js';
import type { Check } from '../types.js';
import { charSet, spanOf } from '../values.js';
import { stringRow } from './kinds.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
export const NODE_CHARS = charSet(LOWER + UPPER + DIGITS + ',._+-@');
export const PROP_CHARS = charSet(LOWER + UPPER + DIGITS + ',._+*#?-');
export const STRICT_CHARS = charSet(LOWER + UPPER + DIGITS + ',-');

export const alwaysFail: Check = {
  id: 'always_fail',
  level: 'off',
  description: 'fails on every node (for testing the runner)',
  node(ctx, node) {
    ctx.report(node, 'always_fail check');
  },
};

export const duplicateNodeNames: Check = {
  id: 'duplicate_node_names',
  level: 'error',
  description: 'two children with the same name',
  node(ctx, node) {
    // dtc compares each live child with every later sibling (deleted ones too) and
    // reports the later one each time; most nodes have no two children of one name
    const children = node.children;
    if (children.length < 2 || new Set(children.map((c) => c.name)).size === children.length) return;
    const positions = new Map<string, number[]>();
    node.children.forEach((c, i) => {
      const list = positions.get(c.name);
      if (list) list.push(i);
      else positions.set(c.name, [i]);
    });
    node.children.forEach((c, i) => {
      if (c.deleted) return;
      for (const j of positions.get(c.name)!) if (j > i) ctx.report(node.children[j], 'Duplicate node name');
    });
  },
};

export const duplicatePropertyNames: Check = {
  id: 'duplicate_property_names',
  level: 'error',
  description: 'two properties with the same name',
  node(ctx, node) {
    // dtc reports the earlier property once for every later one of the same name
    if (node.properties.length < 2) return;
    const props = node.props;
    if (props.length < 2 || new Set(props.map((p) => p.name)).size === props.length) return;
    const later = new Map<string, number>();
    for (const p of props) later.set(p.name, (later.get(p.name) ?? 0) + 1);
    for (const p of props) {
      const n = later.get(p.name)! - 1;
      later.set(p.name, n);
      for (let i = 0; i < n; i++) ctx.report(node, 'Duplicate property name', { property: p });
    }
  },
};

export const nodeNameChars: Check = {
  id: 'node_name_chars',
  level: 'error',
  description: 'node names use only [a-zA-Z0-9,._+-@]',
  node(ctx, node) {
    const n = spanOf(node.name, NODE_CHARS);
    if (n < node.name.length) ctx.report(node, `Bad character '${node.name[n]}' in node name`);
  },
};

export const nodeNameCharsStrict: Check = {
  id: 'node_name_chars_strict',
  level: 'off',
  description: 'node base names use only [a-zA-Z0-9,-]',
  node(ctx, node) {
    const n = spanOf(node.name, STRICT_CHARS);
    if (n < node.baseName.length) ctx.report(node, `Character '${node.name[n]}' not recommended in node name`);
  },
};

export const nodeNameFormat: Check = {
  id: 'node_name_format',
  level: 'error',
  requires: ['node_name_chars'],
  description: "at most one '@' in a node name",
  node(ctx, node) {
    if (node.unitAddress.includes('@')) ctx.report(node, "multiple '@' characters in node name");
  },
};

/** dtc 1.8.0+ (a node named "@1" has an empty base name). */
export const nodeNameNotEmpty: Check = {
  id: 'node_name_not_empty',
  level: 'error',
  requires: ['node_name_chars'],
  description: 'every node but the root has a name before its "@"',
  node(ctx, node) {
    if (node.parent && node.baseName === '') ctx.report(node, 'Empty node name');
  },
};

export const nodeNameVsPropertyName: Check = {
  id: 'node_name_vs_property_name',
  level: 'warning',
  requires: ['node_name_chars'],
  description: 'a node and a property of its parent share a name',
  node(ctx, node) {
    if (node.parent?.getProperty(node.name)) ctx.report(node, 'node name and property name conflict');
  },
};

export const unitAddressVsReg: Check = {
  id: 'unit_address_vs_reg',
  level: 'warning',
  description: 'a unit address goes with reg or ranges, and back',
  node(ctx, node) {
    if (node.getChild('__overlay__')) return; // overlay fragments are exempt, as in dtc
    let p = node.getProperty('reg');
    if (!p) {
      p = node.getProperty('ranges');
      if (p && p.value.bytes.length === 0) p = undefined;
    }
    const unit = node.unitAddress;
    if (p && !unit) ctx.report(node, 'node has a reg or ranges property, but no unit name');
    else if (!p && unit) ctx.report(node, 'node has a unit name, but no reg or ranges property');
  },
};

export const propertyNameChars: Check = {
  id: 'property_name_chars',
  level: 'error',
  description: 'property names use only [a-zA-Z0-9,._+*#?-]',
  node(ctx, node) {
    for (const p of node.properties) {
      if (p.deleted) continue;
      const n = spanOf(p.name, PROP_CHARS);
      if (n < p.name.length) ctx.report(node, `Bad character '${p.name[n]}' in property name`, { property: p });
    }
  },
};

export const propertyNameCharsStrict: Check = {
  id: 'property_name_chars_strict',
  level: 'off',
  description: "property names use only [a-zA-Z0-9,-], and '#' only first (after a vendor prefix)",
  node(ctx, node) {
    for (const p of node.props) {
      let name = p.name;
      let n = spanOf(name, STRICT_CHARS);
      if (n === name.length || name === 'device_type') continue;
      if (name[n] === '#' && (n === 0 || name[n - 1] === ',')) {
        name = name.slice(n + 1);
        n = spanOf(name, STRICT_CHARS);
      }
      if (n < name.length) ctx.report(node, `Character '${name[n]}' not recommended in property name`, { property: p });
    }
  },
};

interface LabelSite {
  node: Node;
  prop?: Property;
  marker?: Marker;
}

function describeSite(s: LabelSite): string {
  return (s.marker ? 'value of ' : '') + (s.prop ? `'${s.prop.name}' in ` : '') + s.node.path;
}

/** dtc's lookup order for a label: any node label, then any property label, then any value label. */
function labelOwners(nodes: Iterable<Node>): Map<string, LabelSite> {
  const onNode = new Map<string, LabelSite>();
  const onProp = new Map<string, LabelSite>();
  const inValue = new Map<string, LabelSite>();
  for (const node of nodes) {
    for (const l of node.labels) if (!l.deleted && !onNode.has(l.name)) onNode.set(l.name, { node });
    for (const prop of node.properties) {
      if (prop.deleted) continue;
      for (const l of prop.labels) if (!l.deleted && !onProp.has(l.name)) onProp.set(l.name, { node, prop });
      for (const marker of prop.value.markers) {
        if (marker.kind === 'label' && !inValue.has(marker.name)) inValue.set(marker.name, { node, prop, marker });
      }
    }
  }
  for (const [k, v] of onProp) if (!onNode.has(k)) onNode.set(k, v);
  for (const [k, v] of inValue) if (!onNode.has(k)) onNode.set(k, v);
  return onNode;
}

/** Whether any live label name is given twice (to a node, property or value position):
 *  otherwise every label is its own owner, and the owner maps need not be built. */
function labelUsedTwice(nodes: Iterable<Node>): boolean {
  const seen = new Set<string>();
  for (const node of nodes) {
    for (const l of node.labels) {
      if (l.deleted) continue;
      if (seen.has(l.name)) return true;
      seen.add(l.name);
    }
    for (const prop of node.properties) {
      if (prop.deleted) continue;
      for (const l of prop.labels) {
        if (l.deleted) continue;
        if (seen.has(l.name)) return true;
        seen.add(l.name);
      }
      for (const marker of prop.value.markers) {
        if (marker.kind !== 'label') continue;
        if (seen.has(marker.name)) return true;
        seen.add(marker.name);
      }
    }
  }
  return false;
}

export const duplicateLabel: Check = {
  id: 'duplicate_label',
  level: 'error',
  description: 'a label names one node, property or value position',
  tree(ctx) {
    const nodes = ctx.facts ? ctx.facts.nodes() : ctx.tree.walk();
    if (!labelUsedTwice(nodes)) return;
    const owners = labelOwners(nodes);
    // a site is compared with its label's owner field by field: no site object per label
    const check = (label: string, node: Node, prop?: Property, marker?: Marker): void => {
      const other = owners.get(label);
      if (!other) return;
      if (other.node !== node || other.prop !== prop || other.marker !== marker) {
        ctx.report(node, `Duplicate label '${label}' on ${describeSite({ node, prop, marker })} and ${describeSite(other)}`);
      }
    };
    for (const node of nodes) {
      for (const l of node.labels) if (!l.deleted) check(l.name, node);
      for (const prop of node.properties) {
        if (prop.deleted) continue;
        for (const l of prop.labels) if (!l.deleted) check(l.name, node, prop);
        for (const marker of prop.value.markers) if (marker.kind === 'label') check(marker.name, node, prop, marker);
      }
    }
  },
};

export const nameIsString: Check = stringRow('name_is_string', 'name', 'error');

export const structureRows: Check[] = [
  alwaysFail, duplicateNodeNames, duplicatePropertyNames, nodeNameChars, nodeNameCharsStrict, nodeNameFormat,
  nodeNameNotEmpty, nodeNameVsPropertyName, unitAddressVsReg, propertyNameChars, propertyNameCharsStrict, duplicateLabel, nameIsString,
];
